// swift-tools-version:6.0
// A package of a JacobianKit user: it depends on the library by path and checks its own maps.
import PackageDescription

let package = Package(
    name: "check-my-map",
    dependencies: [.package(name: "jacobian", path: "../..")],
    targets: [
        .executableTarget(name: "CheckMyMap", dependencies: [.product(name: "JacobianKit", package: "jacobian")]),
    ]
)
