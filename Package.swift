// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "jacobian",
    products: [
        .library(name: "JacobianKit", targets: ["JacobianKit"]),
        .executable(name: "jacobian", targets: ["jacobian"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/onevcat/Rainbow", from: "4.0.0"),
        // Only for `swift package generate-documentation` (scripts/docs); nothing links it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLinAlg", path: "Sources/CLinAlg",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSystem", path: "Sources/CSystem"),
        .target(
            name: "JacobianKit",
            dependencies: ["CLinAlg", "CZlib", "CSystem", .product(name: "ComplexModule", package: "swift-numerics"),
                           .product(name: "RealModule", package: "swift-numerics")]),
        .executableTarget(
            name: "jacobian",
            dependencies: [
                "JacobianKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Rainbow", package: "Rainbow"),
            ]),
        .testTarget(name: "JacobianKitTests", dependencies: ["JacobianKit"]),
        .testTarget(name: "CommandLineTests", dependencies: ["jacobian"]),
    ]
)
