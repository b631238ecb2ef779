/// The plan's JSON form (schema `pacbuild.plan/1`) written directly: byte for byte what
/// `JSONEncoder` with `.prettyPrinted, .sortedKeys, .withoutEscapingSlashes` gives for
/// the `Codable` conformance, about ten times faster (the encoder's boxing of 12,000
/// entries took longer than making the plan). `PlanJSONTests` holds the two equal;
/// a field added to the plan must be added here in its sorted place.
extension Plan {
    public var jsonText: String {
        var json = PrettyJSON()
        json.object {
            $0.field("buildOrder") { $0.strings(buildOrder) }
            $0.field("cycles") { $0.array(cycles) { json, cycle in json.write(cycle) } }
            // the entries, nearly all of the text, are written on every core, each at
            // the depth it has here, and copied in
            $0.field("entries") { $0.array(PrettyJSON.entries(entries, depth: 2)) { json, entry in json.append(entry) } }
            $0.field("makespan") { json in
                json.object { for (key, value) in makespan.sorted(by: { $0.key < $1.key }) { $0.field(key) { $0.number(value) } } }
            }
            if let rebuild {
                $0.field("rebuild") { json in
                    json.object {
                        $0.field("followed") { $0.strings(rebuild.followed) }
                        $0.field("pkgbases") { $0.number(Double(rebuild.pkgbases)) }
                        $0.field("requested") { $0.strings(rebuild.requested) }
                        $0.field("reverse") { $0.bool(rebuild.reverse) }
                    }
                }
            }
            $0.field("schema") { $0.string(schema) }
            if let sets {
                $0.field("sets") { $0.array(sets) { json, set in
                    json.object {
                        $0.field("kind") { $0.string(set.kind) }
                        $0.field("members") { $0.strings(set.members) }
                        if let preview = set.preview { $0.field("preview") { $0.write(preview) } }
                        $0.field("reason") { $0.string(set.reason) }
                        $0.field("requested") { $0.strings(set.requested) }
                    }
                } }
            }
            if let sonameBump {
                $0.field("sonameBump") { json in
                    json.object {
                        $0.field("set") { $0.write(sonameBump.set) }
                        $0.field("sonames") { $0.array(sonameBump.sonames) { json, users in
                            json.object {
                                $0.field("consumerBases") { $0.strings(users.consumerBases) }
                                $0.field("consumers") { $0.strings(users.consumers) }
                                $0.field("problems") { $0.strings(users.problems) }
                                $0.field("provided") { $0.strings(users.provided) }
                                $0.field("providers") { $0.strings(users.providers) }
                                $0.field("request") { $0.string(users.request) }
                            }
                        } }
                    }
                }
            }
            $0.field("totalSeconds") { $0.number(totalSeconds) }
        }
        return String(decoding: json.bytes, as: UTF8.self)
    }
}

extension PrettyJSON {
    mutating func write(_ set: RebuildSetPreview) {
        object {
            $0.field("builds") { $0.number(Double(set.builds)) }
            $0.field("criticalPathSeconds") { $0.number(set.criticalPathSeconds) }
            $0.field("makespanSeconds") { $0.number(set.makespanSeconds) }
            $0.field("totalSeconds") { $0.number(set.totalSeconds) }
            $0.field("waves") { $0.number(Double(set.waves)) }
            $0.field("workers") { $0.number(Double(set.workers)) }
        }
    }

    mutating func write(_ cycle: PlanCycle) {
        object {
            $0.field("closingEdges") { $0.strings(cycle.closingEdges) }
            $0.field("droppedEdges") { $0.strings(cycle.droppedEdges) }
            $0.field("members") { $0.strings(cycle.members) }
            $0.field("strategy") { $0.string(cycle.strategy) }
        }
    }

    mutating func write(_ entry: PlanEntry) {
        object {
            $0.field("blockedBy") { $0.strings(entry.blockedBy) }
            if let cycle = entry.cycle { $0.field("cycle") { $0.number(Double(cycle)) } }
            $0.field("diagnostics") { $0.strings(entry.diagnostics) }
            $0.field("file") { $0.string(entry.file) }
            $0.field("missingPackages") { $0.strings(entry.missingPackages) }
            $0.field("needs") { $0.strings(entry.needs) }
            if let version = entry.newVersion { $0.field("newVersion") { $0.string(version) } }
            if let version = entry.oldVersion { $0.field("oldVersion") { $0.string(version) } }
            $0.field("pkgbase") { $0.string(entry.pkgbase) }
            $0.field("pkgnames") { $0.strings(entry.pkgnames) }
            if let priority = entry.priority { $0.field("priority") { $0.number(priority) } }
            $0.field("reason") { $0.string(entry.reason) }
            $0.field("repo") { $0.string(entry.repo) }
            $0.field("status") { $0.string(entry.status.rawValue) }
            $0.field("unresolved") { $0.strings(entry.unresolved) }
            $0.field("warnings") { $0.strings(entry.warnings) }
            if let wave = entry.wave { $0.field("wave") { $0.number(Double(wave)) } }
        }
    }
}

/// Foundation's pretty-printed JSON layout: two-space indent, `"key" : value`, and an
/// empty array or object as its brackets around an empty line.
struct PrettyJSON {
    private(set) var bytes: [UInt8] = []
    private var depth = 0
    private var isFirst = true

    init() {}

    /// A writer of a value that will stand at `depth` of another.
    private init(depth: Int) { self.depth = depth }

    /// Each entry as ``write(_:)-(PlanEntry)`` writes it at `depth`, computed on all
    /// cores in runs of entries; in entry order.
    static func entries(_ entries: [PlanEntry], depth: Int) -> [[UInt8]] {
        let run = 256
        let runs = stride(from: 0, to: entries.count, by: run).map { entries[$0..<min($0 + run, entries.count)] }
        return runs.concurrentMap { run in
            run.map { entry in
                var json = PrettyJSON(depth: depth)
                json.write(entry)
                return json.bytes
            }
        }.flatMap { $0 }
    }

    /// Copies a value written by a writer of the same depth (``entries(_:depth:)``).
    mutating func append(_ value: [UInt8]) { bytes.append(contentsOf: value) }

    mutating func object(_ body: (inout PrettyJSON) -> Void) { container("{", "}", body) }

    mutating func array<T>(_ items: [T], _ element: (inout PrettyJSON, T) -> Void) {
        container("[", "]") { json in
            for item in items {
                json.separate()
                element(&json, item)
            }
        }
    }

    mutating func strings(_ items: [String]) { array(items) { $0.string($1) } }

    mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    mutating func field(_ key: String, _ value: (inout PrettyJSON) -> Void) {
        separate()
        string(key)
        bytes.append(contentsOf: " : ".utf8)
        value(&self)
    }

    /// As `JSONEncoder` writes a `Double`: integral values without a fraction.
    mutating func number(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        // most strings (names, versions, paths) need no escape: copied whole
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
            case 0x08: bytes.append(contentsOf: "\\b".utf8)
            case 0x0c: bytes.append(contentsOf: "\\f".utf8)
            case 0x0a: bytes.append(contentsOf: "\\n".utf8)
            case 0x0d: bytes.append(contentsOf: "\\r".utf8)
            case 0x09: bytes.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xf)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func container(_ open: String, _ close: String, _ body: (inout PrettyJSON) -> Void) {
        bytes.append(contentsOf: open.utf8)
        bytes.append(UInt8(ascii: "\n"))
        depth += 1
        isFirst = true
        body(&self)
        depth -= 1
        isFirst = false
        bytes.append(UInt8(ascii: "\n"))
        indent()
        bytes.append(contentsOf: close.utf8)
    }

    private mutating func separate() {
        if !isFirst { bytes.append(contentsOf: ",\n".utf8) }
        isFirst = false
        indent()
    }

    private mutating func indent() { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth)) }
}
