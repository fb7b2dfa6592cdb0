import Foundation

/// Images and labels of one MNIST split: images as bytes (count×784, row-major), labels 0…9.
public struct MNISTSplit: Sendable {
    /// Pixels, `count` images of 28×28 bytes each, row-major.
    public let pixels: [UInt8]
    /// One label per image.
    public let labels: [UInt8]
    /// Number of images.
    public var count: Int { labels.count }
    /// Pixels per image (784).
    public static let pixelsPerImage = 784

    /// A split from raw bytes (pixels.count must be 784·labels.count).
    public init(pixels: [UInt8], labels: [UInt8]) {
        precondition(pixels.count == labels.count * Self.pixelsPerImage, "pixels and labels disagree")
        self.pixels = pixels
        self.labels = labels
    }

    /// The first `n` images.
    public func prefix(_ n: Int) -> MNISTSplit {
        let k = min(n, count)
        return MNISTSplit(pixels: Array(pixels[0..<(k * Self.pixelsPerImage)]), labels: Array(labels[0..<k]))
    }
}

/// The MNIST data set: the four genuine IDX files, gzipped, verified by the SHA-256 of their uncompressed bytes.
public enum MNIST {
    /// The four file names, as published.
    public static let files = (trainImages: "train-images-idx3-ubyte.gz", trainLabels: "train-labels-idx1-ubyte.gz",
                               testImages: "t10k-images-idx3-ubyte.gz", testLabels: "t10k-labels-idx1-ubyte.gz")

    /// SHA-256 of the genuine uncompressed files (fixtures/mnist/SHA256SUMS).
    public static let sha256: [String: String] = [
        "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    ]

    /// Loads the training and test splits from `directory`, checking format, counts and (if `verify`) checksums.
    public static func load(directory: String, verify: Bool = true) throws -> (train: MNISTSplit, test: MNISTSplit) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw JacobianError.badFile("MNIST directory '\(directory)' does not exist; it must be a folder holding "
                + "the four MNIST .gz files.")
        }
        // The two splits load in parallel: inflating and hashing 55 MB is most of start-up.
        let box = SplitBox()
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            do {
                let split = k == 0
                    ? try loadSplit(directory, files.trainImages, files.trainLabels, verify: verify)
                    : try loadSplit(directory, files.testImages, files.testLabels, verify: verify)
                box.set(k, .success(split))
            } catch {
                box.set(k, .failure(error))
            }
        }
        return (try box.get(0), try box.get(1))
    }

    /// One split: images (rank 3, 28×28) and labels (rank 1), which must agree in count.
    public static func loadSplit(_ directory: String, _ imageFile: String, _ labelFile: String,
                                 verify: Bool) throws -> MNISTSplit {
        let images = try IDXFile.read((directory as NSString).appendingPathComponent(imageFile), expectedRank: 3)
        let labels = try IDXFile.read((directory as NSString).appendingPathComponent(labelFile), expectedRank: 1)
        if verify {
            for (file, idx) in [(imageFile, images), (labelFile, labels)] {
                let key = String(file.dropLast(3))
                if let expected = sha256[key], expected != idx.sha256 {
                    throw JacobianError.badFile(
                        "MNIST file '\(file)' is not the genuine one: the SHA-256 of its uncompressed bytes is "
                        + "\(idx.sha256), expected \(expected).")
                }
            }
        }
        guard images.dimensions[1] == 28, images.dimensions[2] == 28 else {
            throw JacobianError.badFile("MNIST file '\(imageFile)' holds "
                                        + "\(images.dimensions[1])×\(images.dimensions[2]) images, expected 28×28.")
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw JacobianError.badFile(
                "MNIST files '\(imageFile)' and '\(labelFile)' disagree: \(images.dimensions[0]) images but "
                + "\(labels.dimensions[0]) labels.")
        }
        if let bad = labels.bytes.firstIndex(where: { $0 > 9 }) {
            throw JacobianError.badFile("MNIST file '\(labelFile)' has label \(labels.bytes[bad]) at position \(bad); "
                                        + "labels must be 0…9.")
        }
        return MNISTSplit(pixels: images.bytes, labels: labels.bytes)
    }
}

/// Results of the two parallel loads.
private final class SplitBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: Result<MNISTSplit, Error>] = [:]

    func set(_ k: Int, _ r: Result<MNISTSplit, Error>) {
        lock.lock()
        results[k] = r
        lock.unlock()
    }

    func get(_ k: Int) throws -> MNISTSplit {
        lock.lock()
        defer { lock.unlock() }
        return try results[k]!.get()
    }
}
