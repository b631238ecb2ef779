@testable import Sandbox
import Testing

/// What a UML machine reports of its kernel's memory kills, read back by the host from a
/// file the machine (hostile) writes: two counts or nothing.
struct UMLMemoryKillsTests {
    @Test func twoCountsAreReadAndAnythingElseIsNot() {
        #expect(UMLMemoryKills("0 0\n") == UMLMemoryKills("0\t0"))
        #expect(UMLMemoryKills("2 1\n")?.outOfMemory == 2)
        #expect(UMLMemoryKills("2 1\n")?.hostSide == 1)
        for text in ["", "1", "1 2 3", "-1 0", "x 0", "0 99999999999999999999999"] {
            #expect(UMLMemoryKills(text) == nil, "\(text)")
        }
    }

    @Test func eitherKillIsTheMemoryLimitNamingTheMachinesMemory() throws {
        #expect(UMLMemoryKills("0 0")?.limitHit(memory: 256 << 20) == nil)
        let oom = try #require(UMLMemoryKills("1 0")?.limitHit(memory: 256 << 20))
        #expect(oom == "memory limit of 256 MiB reached: the machine's kernel killed 1 process of the build out of memory")
        let host = try #require(UMLMemoryKills("0 3")?.limitHit(memory: 1 << 30))
        #expect(host.hasPrefix("memory limit of 1 GiB reached: the machine's kernel killed 3 processes of the build whose memory the host would not map"))
    }
}
