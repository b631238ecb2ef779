import Foundation
import Graph
import Repo

/// The architecture check of built packages: each ELF file's class and machine from its
/// header (``Repo/ELFHeader``), and its instructions as the build root's `objdump -d`
/// disassembles them, counted per mnemonic and judged by ``ISACheck``.
///
/// The disassembler parses hostile files, so it runs in a fresh sandbox of its own over
/// the build root (never the build's, whose scriptlets ran as root in it), without
/// network, as root inside a user namespace like any build. It sees only copies of the
/// ELF files, named by number (`elf/N`): no name from a package reaches a shell. Only its
/// per-file counts come back, each line parsed strictly.
struct ISAScan {
    let backend: any SandboxBackend
    let root: BuildRoot
    let scratchParent: String
    let memory: String
    var timeout: Duration = .seconds(900)

    /// The violations of `level` in `packages`; throws when the check could not run (no
    /// objdump in the root, a sandbox failure), which is not the packages' fault.
    func violations(in packages: [String], level: ISALevel, directory: String) throws(SandboxError) -> [ISAViolation] {
        try? FileManager.default.removeItem(atPath: directory)
        let job = directory + "/job"
        for path in [job + "/elf", job + "/out", job + "/src"] { try makeDirectory(path) }
        chmod(directory, 0o700)
        chmod(job, 0o755)
        var files: [(package: String, header: ELFHeader)] = []
        var violations: [ISAViolation] = []
        for package in packages {
            let name = (package as NSString).lastPathComponent
            do throws(RepoError) {
                try PackageELFFiles.forEach(in: package, problem: { problem in
                    violations.append(ISAViolation(package: name, file: problem, wrongMachine: "not checked (unreadable)"))
                }) { (file: PackageELFFiles.File) throws(RepoError) in
                    if let wrong = ISACheck.judge(package: name, file: file.header.path, bits: file.header.bits,
                                                  machine: file.header.machine, counts: [], level: level) {
                        violations.append(wrong)
                        return
                    }
                    let path = job + "/elf/\(files.count)"
                    guard FileManager.default.createFile(atPath: path, contents: Data(file.bytes), attributes: [.posixPermissions: 0o644]) else {
                        throw .io(file: path, reason: "cannot write a copy for the disassembler")
                    }
                    files.append((name, file.header))
                }
            } catch {
                throw .io(path: package, reason: "cannot read the package's ELF files: \(error)")
            }
        }
        guard !files.isEmpty else { return violations }
        try write(Self.script, to: job + "/scan.sh", mode: 0o755)
        var sandboxJob = SandboxJob(root: root, jobDirectory: job, command: ["/bin/sh", SandboxJob.mountPoint + "/scan.sh"],
                                    timeout: timeout, logPath: directory + "/scan.log", scratchParent: scratchParent, memory: memory)
        sandboxJob.personality = root.stamp()?.architecture == "i386" ? .linux32 : .native
        let outcome = try backend.run(sandboxJob)
        guard outcome.exitStatus == 0, !outcome.timedOut else {
            let why = outcome.timedOut ? "timed out" : "exited with status \(outcome.exitStatus)"
            throw .invalidJob("the architecture check (objdump -d in build root \(root.name)) \(why): "
                              + outcome.tail.suffix(5).joined(separator: " / "))
        }
        for (index, file) in files.enumerated() {
            let path = job + "/out/\(index).tsv"
            guard let data = try? SafeRead.smallFile(at: path, limit: 1 << 20) else {
                throw .invalidJob("the architecture check left no counts for \(file.package): \(file.header.path)")
            }
            let counts = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap(ISACheck.parseCount)
            if let violation = ISACheck.judge(package: file.package, file: file.header.path, bits: file.header.bits,
                                              machine: file.header.machine, counts: counts, level: level) {
                violations.append(violation)
            }
        }
        return violations
    }

    private func write(_ text: String, to path: String, mode: Int) throws(SandboxError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw .io(path: path, reason: "cannot write")
        }
    }

    /// Disassembles each `elf/N` into `out/N.tsv`: `MNEMONIC<TAB>REGISTERS<TAB>COUNT`, the
    /// mnemonic with its prefixes (`lock`, `rep`, `cs`, `data16`, ...) stripped, the
    /// registers the widest vector class among the operands (``X86Instructions/Registers``),
    /// symbol names (`<...>`) left out so that no name can fake an operand.
    static let script = """
        #!/bin/sh
        # Written by pacbuild: the architecture check's disassembly, one summary per ELF file.
        set -u
        command -v objdump >/dev/null 2>&1 || { echo "pacbuild: the build root has no objdump (install binutils in it)"; exit 3; }
        cd \(SandboxJob.mountPoint)
        for f in elf/*; do
            n=${f#elf/}
            objdump -d --no-show-raw-insn "$f" >/tmp/disassembly 2>/tmp/objdump.err || {
                echo "pacbuild: objdump -d failed on file $n: $(head -c 300 /tmp/objdump.err)"; exit 4; }
            awk -F '\\t' '
                BEGIN { n = split("lock rep repz repnz repe repne data16 data32 addr16 addr32 cs ds es fs gs ss notrack bnd xacquire xrelease", p, " ")
                        for (i = 1; i <= n; i++) prefix[p[i]] = 1 }
                $1 ~ /^ *[0-9a-f]+:$/ && NF >= 2 {
                    line = $2; for (i = 3; i <= NF; i++) line = line " " $i
                    gsub(/<[^>]*>/, "", line)
                    k = split(line, w, " "); i = 1
                    while (i <= k && ((w[i] in prefix) || w[i] ~ /^rex/ || w[i] ~ /^[{]/)) i++
                    if (i > k || w[i] == "(bad)") next
                    r = "-"
                    if (line ~ /%zmm/ || line ~ /%k[0-7]/) r = "zmm"
                    else if (line ~ /%ymm/) r = "ymm"
                    else if (line ~ /%xmm/) r = "xmm"
                    else if (line ~ /%mm[0-7]/) r = "mm"
                    c[w[i] "\\t" r]++
                }
                END { for (key in c) print key "\\t" c[key] }' /tmp/disassembly >"out/$n.tsv" || exit 4
        done
        """
}
