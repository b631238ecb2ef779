import Foundation

/// Runs a script in the real bash and splits what it printed into records (ended by
/// `\1`) of fields (ended by `\0`): the differential tests' view of bash's answers.
enum BashRun {
    static func records(_ script: String, environment: [String: String]? = nil) throws -> [[String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data.split(separator: 1, omittingEmptySubsequences: false).dropLast().map { record in
            record.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
