import Foundation
import Repo

/// `pacman -Si` output as field dictionaries, and the same rendering of our entries, so
/// tests compare what pacman shows with what we read, field by field.
enum PacmanInfo {
    /// Parses `pacman -Si` blocks (separated by blank lines) into `[name: [field: value]]`;
    /// continuation lines (Optional Deps) are joined with a newline.
    static func parse(_ text: String) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for block in text.components(separatedBy: "\n\n") {
            var fields: [String: String] = [:]
            var last: String?
            for line in block.split(separator: "\n", omittingEmptySubsequences: true) {
                if line.hasPrefix(" "), let key = last {
                    fields[key, default: ""] += "\n" + line.trimmingCharacters(in: .whitespaces)
                } else if let colon = line.range(of: " : ") ?? line.range(of: " :") {
                    let key = line[..<colon.lowerBound].trimmingCharacters(in: .whitespaces)
                    fields[key] = String(line[colon.upperBound...]).trimmingCharacters(in: .whitespaces)
                    last = key
                }
            }
            if let name = fields["Name"] { result[name] = fields }
        }
        return result
    }

    /// Our entry rendered as `pacman -Si` renders it (the fields both carry).
    static func render(_ entry: DatabaseEntry, repository: String) -> [String: String] {
        func list(_ values: [String], separator: String = "  ") -> String { values.isEmpty ? "None" : values.joined(separator: separator) }
        var validated: [String] = []
        if entry.md5sum != nil { validated.append("MD5 Sum") }
        if entry.sha256sum != nil { validated.append("SHA-256 Sum") }
        if entry.pgpsig != nil { validated.append("Signature") }
        return [
            "Repository": repository,
            "Name": entry.name,
            "Version": entry.version.description,
            "Description": entry.desc ?? "None",
            "Architecture": entry.arch ?? "None",
            "URL": entry.url ?? "None",
            "Licenses": list(entry.licenses),
            "Groups": list(entry.groups),
            "Provides": list(entry.provides.map(\.description)),
            "Depends On": list(entry.depends.map(\.description)),
            "Optional Deps": list(entry.optDepends.map(\.description), separator: "\n"),
            "Conflicts With": list(entry.conflicts.map(\.description)),
            "Replaces": list(entry.replaces.map(\.description)),
            "Download Size": humanize(entry.compressedSize ?? 0).text,
            // pacman's dump_pkg_full shows the installed size in the download size's unit.
            "Installed Size": humanize(entry.installedSize ?? 0, unit: humanize(entry.compressedSize ?? 0).unit).text,
            "Packager": entry.packager ?? "None",
            "Build Date": entry.buildDate.map(date) ?? "None",
            "Validated By": list(validated),
        ]
    }

    /// pacman's `humanize_size`: divide by 1024 until the target unit or, without one,
    /// while the value exceeds 2048; two decimals.
    static func humanize(_ bytes: Int64, unit target: String? = nil) -> (text: String, unit: String) {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes), index = 0
        while index < units.count - 1 {
            if let target, units[index] == target { break }
            if target == nil, value <= 2048, value >= -2048 { break }
            value /= 1024
            index += 1
        }
        return (String(format: "%.2f %@", value, units[index]), units[index])
    }

    /// `strftime("%c")` in local time, as pacman prints the build date.
    static func date(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        localtime_r(&time, &parts)
        var buffer = [CChar](repeating: 0, count: 128)
        let count = strftime(&buffer, buffer.count, "%c", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
