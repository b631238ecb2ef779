/// What one PKGBUILD may cost the reader. Depth limits alone do not bound the work: a
/// regular expression, a pattern removal over a long value, a printf width or a loop
/// that doubles a value can each cost minutes or gigabytes at a modest depth. So every
/// piece of work is paid for from one budget per PKGBUILD, and past it the PKGBUILD gets
/// a diagnostic naming the construct and the budget, and is left to the sandboxed makepkg
/// (which runs under the sandbox's own limits).
///
/// A unit is roughly one small step: a command, an arithmetic operand, a byte an
/// expansion, printf or command substitution reads or produces (16 more for each field
/// or array element it makes), a state a pattern or regular expression visits for one
/// character, an array element an insertion moves. The costliest PKGBUILD of the corpora
/// (alarm's thunderbird) spends about 75,000 units; the standard budget is over 250
/// times that: the inputs fuzzing found that run into it stop within half a second in a
/// release build (2 s of CPU under ASan; docs/fuzzing.md). Bytes produced are paid for
/// too, so the same budget bounds memory: no PKGBUILD makes the reader hold much more
/// than the budget in bytes beyond its own text (each value at most ``valueLimit``).
struct ShellBudget: Sendable {
    /// Units per PKGBUILD.
    static let standardUnits = 20_000_000
    /// Wall-clock time per PKGBUILD, the backstop for work the units miss.
    static let standardTime: Duration = .seconds(10)
    /// The largest single value (a word, a printf output, a replaced string), in bytes.
    static let valueLimit = 4 << 20

    /// Units left.
    private(set) var remaining: Int
    /// The units this budget started with.
    let units: Int
    /// When the reader gives up on the PKGBUILD, whatever units are left; nil: never.
    let deadline: ContinuousClock.Instant?
    /// Units spent since the clock was last read (reading it costs ~25 ns).
    private var sinceClockCheck = 0

    /// The budget ran out: `byTime` when the deadline passed, else the units.
    struct Exhausted: Error, Sendable {
        var byTime: Bool
    }

    init(units: Int = standardUnits, time: Duration? = standardTime) {
        self.units = units
        remaining = units
        deadline = time.map { ContinuousClock.now + $0 }
    }

    /// Units spent so far.
    var spent: Int { units - remaining }

    /// Pays `count` units; throws once the units or the time run out, and keeps
    /// throwing after that.
    mutating func spend(_ count: Int = 1) throws(Exhausted) {
        remaining -= count
        if remaining < 0 { throw Exhausted(byTime: false) }
        sinceClockCheck += count
        if sinceClockCheck >= 65_536, let deadline {
            sinceClockCheck = 0
            if ContinuousClock.now > deadline {
                remaining = -1
                throw Exhausted(byTime: true)
            }
        }
    }

    /// The sentence a diagnostic ends with when the budget ran out on `construct`.
    func exceeded(by construct: String, _ exhausted: Exhausted) -> String {
        if exhausted.byTime {
            return "\(construct) exceeds the reader's time budget (\(Self.describe(Self.standardTime)) per PKGBUILD)"
        }
        return "\(construct) exceeds the reader's work budget (\(units) steps per PKGBUILD)"
    }

    static func describe(_ duration: Duration) -> String { "\(duration.components.seconds) s" }

    /// The sentence for a value over ``valueLimit``.
    static func tooLarge(_ construct: String, bytes: Int) -> String {
        "\(construct) would be \(bytes) bytes, over the reader's memory budget (\(valueLimit >> 20) MiB per value)"
    }
}
