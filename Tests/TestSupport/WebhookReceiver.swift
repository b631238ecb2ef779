import Foundation

/// `scripts/webhook-receiver` for a test: a real loopback HTTP server that logs every
/// POST it gets and answers 200, 500 or nothing at all as the test sets it. It dies with
/// the test process.
public final class WebhookReceiver: @unchecked Sendable {
    // @unchecked: every property is immutable; the mode and log are files.
    public let port: Int
    public let directory: String
    private let process: Subprocess

    /// One POST the receiver got.
    public struct Request: Sendable {
        /// The status it answered, nil for one it left hanging.
        public var status: Int?
        public var event: String?
        public var delivery: String?
        public var contentType: String?
        /// The posted JSON.
        public var body: [String: any Sendable]
        public var build: [String: any Sendable] { body["build"] as? [String: any Sendable] ?? [:] }
    }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pacbuild-receiver-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = try Subprocess([Fixtures.packageRoot + "/scripts/webhook-receiver", "--log", directory + "/log",
                                      "--mode-file", directory + "/mode", "--parent", String(getpid())],
                                     outputPath: directory + "/output")
        guard let port = process.listeningPort() else {
            throw Subprocess.Failure(message: "scripts/webhook-receiver did not start: \(process.output)")
        }
        self.port = port
        self.process = process
    }

    deinit { stop() }

    public func stop() {
        process.kill(SIGKILL)
        process.wait()
    }

    public var url: String { "http://127.0.0.1:\(port)/hook" }

    /// What it answers from now on: a status code, or nil to leave requests hanging.
    public func answer(_ status: Int?) throws {
        try Data((status.map(String.init) ?? "hang").utf8).write(to: URL(fileURLWithPath: directory + "/mode"))
    }

    /// Every POST so far, in order.
    public func requests() -> [Request] {
        guard let text = try? String(contentsOfFile: directory + "/log", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return Request(status: object["status"] as? Int, event: object["event"] as? String, delivery: object["delivery"] as? String,
                           contentType: object["contentType"] as? String, body: Self.sendable(object["body"]))
        }
    }

    /// The bodies of the requests it answered 200.
    public func accepted() -> [Request] { requests().filter { $0.status == 200 } }

    /// Waits until `condition` holds of the requests (true), or `seconds` pass (false).
    public func wait(seconds: Double = 20, until condition: ([Request]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(requests()) { return true }
            usleep(50_000)
        }
        return condition(requests())
    }

    private static func sendable(_ value: Any?) -> [String: any Sendable] {
        guard let object = value as? [String: Any] else { return [:] }
        return object.mapValues(element)
    }

    /// An object, an array (of such values), a Bool, an Int64 or a String.
    private static func element(_ value: Any) -> any Sendable {
        if let nested = value as? [String: Any] { return sendable(nested) as [String: any Sendable] }
        if let array = value as? [Any] { return array.map(element) }
        // JSONSerialization gives true and false as NSNumbers of type "c"
        if let number = value as? NSNumber { return String(cString: number.objCType) == "c" ? number.boolValue as any Sendable : number.int64Value }
        if let text = value as? String { return text }
        return String(describing: value)
    }
}
