import ArgumentParser
import Repo

extension Pacbuild {
    /// `pacbuild pkginfo FILE...`: what a package file says about itself.
    struct Pkginfo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pkginfo",
            abstract: "Print the .PKGINFO, checksums and file count of package files (--json: everything).",
            discussion: """
                Each file is read once, without extracting it. A broken file gets its error on \
                standard error and exit status 1, as does a .PKGINFO lacking a key makepkg \
                always writes (pkgname pkgbase pkgver pkgdesc url builddate packager size arch); \
                the other files are still printed.
                """)

        @Flag(help: "Print the whole model (.PKGINFO, .BUILDINFO, files, checksums) as JSON.") var json = false
        @Argument(help: "Package files (.pkg.tar.zst, .xz, .gz, ...).") var files: [String]

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one package file") }
        }

        func run() throws {
            var packages: [PackageFile] = []
            var failed = false
            for file in files {
                do {
                    let package = try PackageFile.read(at: file)
                    for key in package.info.missingKeys {
                        printError(RepoError.missingField(file: file, entry: ".PKGINFO", field: key).description)
                        failed = true
                    }
                    packages.append(package)
                } catch {
                    printError(error.description)
                    failed = true
                }
            }
            if json {
                print(try jsonText(packages))
            } else {
                var first = true
                for package in packages {
                    if !first { print("") }
                    first = false
                    print("file = \(package.path)")
                    for field in package.info.fields { print("\(field.key) = \(field.value)") }
                    print("csize = \(package.checksums.compressedSize)")
                    print("md5sum = \(package.checksums.md5sum)")
                    print("sha256sum = \(package.checksums.sha256sum)")
                    print("files = \(package.files.count)")
                    print("buildinfo = \(package.buildInfo == nil ? "no" : "yes")")
                    print("signature = \(package.signature == nil ? "no" : "yes")")
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
