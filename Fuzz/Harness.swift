// The libFuzzer entry point for every target: JACOBIAN_FUZZ_TARGET names one of FuzzTargets.all (JacobianKit).
// Built and run by scripts/fuzz; not part of the Swift package.
import Foundation
import JacobianKit

let target: @Sendable ([UInt8]) -> Void = {
    let name = ProcessInfo.processInfo.environment["JACOBIAN_FUZZ_TARGET"] ?? ""
    guard let body = FuzzTargets.all[name] else {
        fatalError("JACOBIAN_FUZZ_TARGET must be one of \(FuzzTargets.all.keys.sorted()), not '\(name)'.")
    }
    return body
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
