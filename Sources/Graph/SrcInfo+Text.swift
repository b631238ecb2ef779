/// `.SRCINFO` text: printed byte for byte as `makepkg --printsrcinfo` prints it, and
/// parsed back from files written by makepkg (or by us).
extension SrcInfo {
    /// The `.SRCINFO` text: a `pkgbase` section, then for each package a blank line and a
    /// `pkgname` section; every value on its own `\tkey = value` line.
    public var text: String {
        var out = "pkgbase = \(pkgbase)\n"
        Self.write(base, to: &out)
        for package in packages {
            out += "\npkgname = \(package.name)\n"
            Self.write(package.section, to: &out)
        }
        return out
    }

    static func write(_ section: Section, to out: inout String) {
        for attribute in section.attributes {
            if attribute.values.isEmpty {
                out += "\t\(attribute.key) = \n"
            }
            for value in attribute.values {
                out += "\t\(attribute.key) = \(value)\n"
            }
        }
    }

    /// Parses `.SRCINFO` text. `file` names it in errors.
    public init(parsing text: String, file: String = ".SRCINFO") throws(GraphError) {
        var pkgbase: String?
        var base = Section()
        var packages: [Package] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if line.last == "\r" { line.removeLast() }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.first == "#" { continue }
            guard let separator = trimmed.firstRange(of: " = ") ?? trimmed.firstRange(of: " =") else {
                throw GraphError.srcinfo(file: file, line: lineNumber, expected: "'key = value'", found: String(line))
            }
            let key = String(trimmed[..<separator.lowerBound])
            let value = String(trimmed[separator.upperBound...])
            let indented = line.first == "\t" || line.first == " "
            if !indented && key == "pkgbase" {
                guard pkgbase == nil else {
                    throw GraphError.srcinfo(file: file, line: lineNumber, expected: "one pkgbase section", found: "a second 'pkgbase'")
                }
                pkgbase = value
            } else if !indented && key == "pkgname" {
                guard pkgbase != nil else {
                    throw GraphError.srcinfo(file: file, line: lineNumber, expected: "'pkgbase = NAME' first", found: "'pkgname'")
                }
                packages.append(Package(name: value))
            } else {
                guard pkgbase != nil else {
                    throw GraphError.srcinfo(file: file, line: lineNumber, expected: "'pkgbase = NAME' first", found: "'\(key)'")
                }
                let values = value.isEmpty ? [] : [value]
                if packages.isEmpty {
                    base.append(key, values)
                } else {
                    packages[packages.count - 1].section.append(key, values)
                }
            }
        }
        guard let pkgbase else {
            throw GraphError.srcinfo(file: file, line: max(lineNumber, 1), expected: "'pkgbase = NAME'", found: "no pkgbase section")
        }
        self.init(pkgbase: pkgbase, base: base, packages: packages)
    }
}
