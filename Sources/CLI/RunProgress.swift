import Foundation
import Graph
import Scheduler

/// `pacbuild run`'s progress: on a terminal, one live status line (counts, running
/// builds, elapsed, an estimate of the time left) kept below the scrolling state
/// changes; off a terminal, one plain line per change; with `--json`, one JSON object
/// per line. Events arrive from the waka's threads, so everything happens under a lock.
final class RunProgress: @unchecked Sendable {
    // @unchecked: every mutable property is used only under `lock`.
    enum Mode { case terminal, plain, json }

    private let mode: Mode
    private let slots: Int
    private let lock = NSLock()
    private let start = Date()
    /// Expected seconds of each build still to run, from the store's history.
    private var remaining: [BuildID: Double]
    private var running: [BuildID: (name: String, since: Date)] = [:]
    private var built = 0, failed = 0, accepted = 0
    private var timer: (any DispatchSourceTimer)?

    init(mode: Mode, slots: Int, pending: [BuildID: Double]) {
        self.mode = mode
        self.slots = max(1, slots)
        self.remaining = pending
        guard mode == .terminal else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "pacbuild.progress"))
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [weak self] in self?.redraw() }
        timer.resume()
        self.timer = timer
    }

    func handle(_ event: WakaEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .claimed(let build, _):
            running[build.id] = (build.package.pkgbase, Date())
        case .finished(let build, _):
            running[build.id] = nil
            remaining[build.id] = nil
            if build.state.failureClass != nil { failed += 1 } else { built += 1 }
        case .gaveBack(let build, _):
            running[build.id] = nil
        case .accepted:
            accepted += 1
        case .setPublished(let publication):
            accepted += publication.published.count
        default:
            break
        }
        emit(event)
    }

    /// Prints a line that is not an event (the catch-up, the summary).
    func note(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        write(clearLine + text + "\n" + statusLine)
    }

    /// Stops the live line and leaves the terminal clean.
    func finish() {
        timer?.cancel()
        lock.lock()
        defer { lock.unlock() }
        if mode == .terminal { write(clearLine) }
    }

    private func emit(_ event: WakaEvent) {
        switch mode {
        case .json: write((try? RunJSON.line(RunJSON.Event(event))) ?? "" + "\n")
        case .plain: write(timestamp() + " " + WakaEventText.line(event) + "\n")
        case .terminal: write(clearLine + timestamp() + " " + WakaEventText.line(event) + "\n" + statusLine)
        }
    }

    private func redraw() {
        lock.lock()
        defer { lock.unlock() }
        write(clearLine + statusLine)
    }

    private var clearLine: String { mode == .terminal ? "\r\u{1B}[2K" : "" }

    /// `[1m05s] 3 built, 3 accepted, 1 failed · building ex-libfmt, ex-testkit · about 40 s left`
    private var statusLine: String {
        guard mode == .terminal else { return "" }
        let elapsed = Date().timeIntervalSince(start)
        var parts = ["\(built) built, \(accepted) accepted, \(failed) failed, \(remaining.count) to go"]
        if !running.isEmpty { parts.append("building " + running.values.map(\.name).sorted().joined(separator: ", ")) }
        let runningSpent = running.reduce(0.0) { $0 + min(remaining[$1.key] ?? 0, Date().timeIntervalSince($1.value.since)) }
        let left = max(0, remaining.values.reduce(0, +) - runningSpent) / Double(slots)
        if !remaining.isEmpty { parts.append("about \(Self.clock(left)) left") }
        return "[\(Self.clock(elapsed))] " + parts.joined(separator: " · ")
    }

    private func timestamp() -> String {
        let seconds = Int(Date().timeIntervalSince(start))
        return String(format: "%02d:%02d", seconds / 60, seconds % 60)
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }

    private func write(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// `--json`: one compact object per line.
enum RunJSON {
    struct Event: Encodable {
        var event: String
        var time = Date()
        var build: BuildRecord?
        var slot: Int?
        var message: String?
        var ids: [BuildID]?
        var worker: WorkerInfo?
        var set: Int64?

        init(event: String, build: BuildRecord? = nil, slot: Int? = nil, message: String? = nil) {
            self.event = event
            self.build = build
            self.slot = slot
            self.message = message
        }

        init(_ wakaEvent: WakaEvent) {
            switch wakaEvent {
            case .started(let info, let returned):
                self.init(event: "started")
                worker = info
                ids = returned
            case .repositoriesMissing(let names): self.init(event: "repositories-missing", message: names.joined(separator: " "))
            case .swept(let paths): self.init(event: "swept", message: paths.joined(separator: " "))
            case .repositoriesUnpublished(let names): self.init(event: "repositories-unpublished", message: names.joined(separator: " "))
            case .claimed(let build, let slot): self.init(event: "claimed", build: build, slot: slot)
            case .finished(let build, let slot): self.init(event: build.state.failureClass == nil ? "built" : "failed", build: build, slot: slot)
            case .staged(let build): self.init(event: "staged", build: build)
            case .stageFailed(let build, let reason): self.init(event: "stage-failed", build: build, message: reason)
            case .accepted(let build): self.init(event: "accepted", build: build)
            case .acceptFailed(let build, let reason): self.init(event: "accept-failed", build: build, message: reason)
            case .setOpened(let set, let members, _):
                self.init(event: "set-opened", message: WakaEventText.line(wakaEvent))
                ids = [set.members.first?.build].compactMap { $0 } + members.map(\.id)
                self.set = set.id
            case .heldBySet(let build, let set):
                self.init(event: "held-by-set", build: build, message: set.label)
                self.set = set.id
            case .setPublished(let publication):
                self.init(event: "set-published", message: WakaEventText.line(wakaEvent))
                ids = publication.published.map(\.id)
                self.set = publication.set.id
            case .setFailed(let build, let reason): self.init(event: "set-failed", build: build, message: reason)
            case .publishingRefused(let message): self.init(event: "publishing-refused", message: message)
            case .gaveBack(let build, let slot): self.init(event: "gave-back", build: build, slot: slot)
            case .expired(let expired):
                self.init(event: "expired")
                ids = expired
            case .cachePruned: self.init(event: "cache-pruned", message: WakaEventText.line(wakaEvent))
            case .storeError(let message): self.init(event: "store-error", message: message)
            case .stopping(let grace): self.init(event: "stopping", message: "grace \(Int(grace)) s")
            }
        }
    }

    static func line<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
