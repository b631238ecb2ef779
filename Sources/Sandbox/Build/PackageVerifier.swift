import Foundation
import Repo

/// Reads every package file a build produced through Repo and checks it against the
/// plan's expectation: the same set of names, each with the expected version and arch.
enum PackageVerifier {
    /// The packages read, and every mismatch as a sentence (empty when all is right).
    static func verify(directory: String, expected: [ExpectedPackage]) -> ([BuiltPackage], [String]) {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.contains(".pkg.tar") && !$0.hasSuffix(".sig") }.sorted()
        var built: [BuiltPackage] = []
        var problems: [String] = []
        for file in files {
            let path = directory + "/" + file
            do {
                let info = try PackageFile.read(at: path).info
                built.append(BuiltPackage(name: info.name ?? "", version: info.version?.description ?? "",
                                          arch: info.arch ?? "", path: path))
            } catch {
                problems.append("\(file) cannot be read: \(error)")
            }
        }
        for want in expected {
            let found = built.filter { $0.name == want.name }
            guard !found.isEmpty else { problems.append("\(want.name) was not built"); continue }
            for package in found where package.version != want.version {
                problems.append("\(want.name) has version \(package.version), expected \(want.version)")
            }
            for package in found where package.arch != want.arch {
                problems.append("\(want.name) has arch \(package.arch), expected \(want.arch)")
            }
            if found.count > 1 { problems.append("\(want.name) was built \(found.count) times") }
        }
        for package in built where !expected.contains(where: { $0.name == package.name }) {
            problems.append("\(package.name) was built but is not a package of this pkgbase")
        }
        return (built, problems)
    }
}
