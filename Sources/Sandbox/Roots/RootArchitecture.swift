import Foundation
import Repo

/// The machine a build root's programs are for, read from the ELF header of its shell
/// (the root's own `/bin/sh`, links resolved inside the root), never by running it.
enum RootArchitecture {
    /// The programs tried, in order: every root has one of them.
    static let programs = ["usr/bin/sh", "bin/sh", "usr/bin/bash", "bin/bash", "usr/bin/dash"]

    /// `i386`, `x86_64`, ... (``ELFHeader/machineName``); nil when no shell is an ELF file.
    static func detect(_ rootfs: String) -> String? {
        for program in programs {
            guard let path = resolve(program, in: rootfs),
                  let handle = FileHandle(forReadingAtPath: path) else { continue }
            defer { try? handle.close() }
            let bytes = [UInt8](handle.readData(ofLength: 64))
            if let header = try? ELFHeader.parse(bytes, file: path, entry: program) { return header.machineName }
        }
        return nil
    }

    /// `path` inside `rootfs` with its symbolic links followed as the root sees them
    /// (an absolute target is the root's, not the host's); nil after 16 links.
    static func resolve(_ path: String, in rootfs: String, depth: Int = 0) -> String? {
        guard depth < 16 else { return nil }
        var current = path
        for _ in 0..<16 {
            let full = rootfs + "/" + current
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: full) else {
                // a directory link on the way (`bin -> usr/bin`) is resolved the same way
                let parts = current.split(separator: "/").map(String.init)
                for index in parts.indices.dropLast() {
                    let prefix = parts[...index].joined(separator: "/")
                    if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: rootfs + "/" + prefix) {
                        let base = link.hasPrefix("/") ? String(link.dropFirst()) : (prefix as NSString).deletingLastPathComponent + "/" + link
                        return resolve(base + "/" + parts[(index + 1)...].joined(separator: "/"), in: rootfs, depth: depth + 1)
                    }
                }
                return FileManager.default.fileExists(atPath: full) ? full : nil
            }
            current = target.hasPrefix("/") ? String(target.dropFirst())
                : (current as NSString).deletingLastPathComponent + "/" + target
        }
        return nil
    }
}
