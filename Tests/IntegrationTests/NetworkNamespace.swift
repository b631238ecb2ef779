import Foundation
import TestSupport

/// A network namespace joined to the host by a veth pair: `HOST_ADDRESS/24` on the host
/// end, `address/24` inside, as a build machine on its own network would see the
/// master. Made with `ip netns` and `ip link`; ``remove()`` deletes both ends.
struct NetworkNamespace {
    let name: String
    /// The host side's address, where the namespace reaches the master's services.
    let hostAddress: String
    let address: String
    private let hostInterface: String

    static var available: Bool {
        geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
    }

    /// Makes namespace `name` on subnet `10.77.SUBNET.0/24` (host .1, namespace .2);
    /// half-made leftovers are removed before an error is thrown.
    static func make(name: String, subnet: Int) throws -> NetworkNamespace {
        let namespace = NetworkNamespace(name: name, hostAddress: "10.77.\(subnet).1", address: "10.77.\(subnet).2",
                                         hostInterface: "pbh\(subnet)")
        let inside = "pbn\(subnet)"
        do {
            try ip(["netns", "add", name])
            try ip(["link", "add", namespace.hostInterface, "type", "veth", "peer", "name", inside])
            try ip(["link", "set", inside, "netns", name])
            try ip(["addr", "add", namespace.hostAddress + "/24", "dev", namespace.hostInterface])
            try ip(["link", "set", namespace.hostInterface, "up"])
            try ip(["-n", name, "addr", "add", namespace.address + "/24", "dev", inside])
            try ip(["-n", name, "link", "set", inside, "up"])
            try ip(["-n", name, "link", "set", "lo", "up"])
        } catch {
            namespace.remove()
            throw error
        }
        return namespace
    }

    /// A subnet number no interface of this machine uses yet (another test run's), from `candidates`.
    static func freeSubnets(_ count: Int, among candidates: ClosedRange<Int> = 1...250) throws -> [Int] {
        let used = try Subprocess.run(["/usr/sbin/ip", "-o", "addr", "show"])
        let free = candidates.shuffled().filter { !used.contains("10.77.\($0).") }
        guard free.count >= count else { throw Subprocess.Failure(message: "no \(count) free subnets in 10.77.0.0/16") }
        return Array(free.prefix(count))
    }

    /// The command line that runs `arguments` inside the namespace.
    func exec(_ arguments: [String]) -> [String] { ["/usr/sbin/ip", "netns", "exec", name] + arguments }

    /// Deletes the namespace (and with it the inner veth end, which takes the host end).
    func remove() {
        _ = try? Self.ip(["netns", "delete", name])
        _ = try? Self.ip(["link", "delete", hostInterface])
    }

    @discardableResult
    private static func ip(_ arguments: [String]) throws -> String { try Subprocess.run(["/usr/sbin/ip"] + arguments) }
}
