import Foundation
import Graph
import Testing
@testable import Sandbox
import TestSupport

/// A PKGBUILD's source URL may not make the host reach its own or its network's services
/// (docs/sources.md): the address classes, the strict URL reading, and real downloads
/// from a loopback server refused, redirected and allowed.
@Suite struct SourceAddressTests {
    @Test(arguments: [
        ("127.0.0.1", "a loopback address"), ("127.255.0.9", "a loopback address"), ("0.0.0.0", "an unspecified (this-host) address"),
        ("10.1.2.3", "a private address"), ("172.16.0.1", "a private address"), ("172.31.255.254", "a private address"),
        ("192.168.1.1", "a private address"), ("100.64.0.1", "a carrier-grade NAT address"),
        ("169.254.169.254", "a link-local address"), ("224.0.0.1", "a multicast address"), ("240.0.0.1", "a reserved address"),
        ("255.255.255.255", "a reserved address"),
        ("::1", "a loopback address"), ("::", "an unspecified address"), ("::ffff:127.0.0.1", "a loopback address"),
        ("::ffff:10.0.0.1", "a private address"), ("64:ff9b::a9fe:a9fe", "a link-local address"),
        ("fe80::1", "a link-local address"), ("fd12:3456::1", "a unique local address"), ("fec0::1", "a site-local address"),
        ("ff02::1", "a multicast address"), ("not-an-address", "not an address"),
    ])
    func internalAddresses(_ address: String, _ kind: String) {
        #expect(SourceAddress.internalKind(address) == kind)
    }

    @Test(arguments: ["8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1", "169.253.1.1", "1.1.1.1",
                      "2001:4860:4860::8888", "2a00:1450::1", "::ffff:8.8.8.8"])
    func publicAddresses(_ address: String) {
        #expect(SourceAddress.internalKind(address) == nil)
    }

    @Test func urlsAreReadStrictly() throws {
        #expect(try SourceURL.parse("https://Example.org/x.tar.gz").get() == SourceURL(scheme: "https", host: "example.org", port: 443))
        #expect(try SourceURL.parse("http://user:pw@example.org:8080/x").get() == SourceURL(scheme: "http", host: "example.org", port: 8080))
        #expect(try SourceURL.parse("ftp://[2001:db8::1]/x").get() == SourceURL(scheme: "ftp", host: "2001:db8::1", port: 21))
        #expect(try SourceURL.parse("http://example.org?x=1").get().host == "example.org")
        for unclear in ["http://a@b@127.0.0.1/", "http://127.0.0.1\\@example.org/", "http://exa mple.org/", "http://example.org:99999/",
                        "http://example.org:8o/", "http://[::1/", "http:///x", "file:///etc/passwd", "gopher://example.org/",
                        "http://exämple.org/", "http://example.org_/"] {
            guard case .failure(.refused) = SourceURL.parse(unclear) else {
                Issue.record("\(unclear) was read as \(SourceURL.parse(unclear))")
                continue
            }
        }
        let url = try SourceURL.parse("http://mirror.lan:8080/x").get()
        #expect(url.isAllowed(by: ["MIRROR.lan"]) && url.isAllowed(by: ["mirror.lan:8080"]) && !url.isAllowed(by: ["mirror.lan:80"]))
        #expect(url.pin(["10.0.0.5", "fd00::5"]) == "mirror.lan:8080:10.0.0.5,[fd00::5]")
    }

    // MARK: real downloads from a loopback server

    let directory: String
    let server: SourceServer
    let content = Data("the hello sources\n".utf8)
    let sha256: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pacbuild-address-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory + "/served", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/hello", withIntermediateDirectories: true)
        try content.write(to: URL(fileURLWithPath: directory + "/served/hello-1.0.tar.gz"))
        sha256 = try SourceFetchTests.tool("sha256sum", directory + "/served/hello-1.0.tar.gz")
        server = try SourceServer(directory: directory + "/served")
    }

    func fetch(_ url: String, allowed: [String]) -> SourceFetch.Outcome {
        let settings = SourceFetchSettings(cacheDirectory: directory + "/cache", timeoutSeconds: 20, allowedHosts: allowed)
        let pkgbuild = directory + "/hello/PKGBUILD"
        let srcinfo = SrcInfo(pkgbase: "hello", base: SrcInfo.Section(attributes: [
            SrcInfo.Attribute(key: "sha256sums", values: [sha256]),
            SrcInfo.Attribute(key: "source", values: ["hello-1.0.tar.gz::" + url]),
        ]))
        return SourceFetch(settings: settings, pkgbuild: pkgbuild).run(SourceList(srcinfo: srcinfo, carch: "x86_64", pkgbuild: pkgbuild))
    }

    @Test func loopbackIsRefusedBeforeAnyRequest() throws {
        let port = server.port
        for url in ["http://127.0.0.1:\(port)/hello-1.0.tar.gz", "http://localhost:\(port)/hello-1.0.tar.gz",
                    "http://2130706433:\(port)/hello-1.0.tar.gz", "http://0x7f.1:\(port)/hello-1.0.tar.gz",
                    "http://[::ffff:127.0.0.1]:\(port)/hello-1.0.tar.gz", "http://127.1:\(port)/hello-1.0.tar.gz"] {
            let outcome = fetch(url, allowed: [])
            let reason = outcome.failure?.reason ?? ""
            #expect(outcome.failure?.failureClass == .source && reason.contains("refused") && reason.contains("a loopback address")
                    && reason.contains("allow_hosts"), "\(url): \(reason)")
        }
        #expect(try server.requests()["/hello-1.0.tar.gz"] == nil, "a refused URL was requested")
    }

    @Test func allowedHostsAreReachedAndRedirectsAreCheckedAgain() throws {
        let port = server.port
        let file = "http://127.0.0.1:\(port)/hello-1.0.tar.gz"
        // allowed by host:port, through a redirect to the same host: the body is the file's, not the 302's
        let redirected = fetch("http://127.0.0.1:\(port)/__redirect?to=" + file, allowed: ["127.0.0.1:\(port)"])
        #expect(redirected.failure == nil, "\(redirected.notes)")
        #expect(FileManager.default.contents(atPath: redirected.sources.first?.path ?? "") == content)
        #expect(try server.requests()["/hello-1.0.tar.gz"] == 1)
        try FileManager.default.removeItem(atPath: directory + "/cache")
        // a redirect from an allowed host to a name it does not allow (localhost is 127.0.0.1 too)
        let away = fetch("http://127.0.0.1:\(port)/__redirect?to=http://localhost:\(port)/hello-1.0.tar.gz", allowed: ["127.0.0.1"])
        let reason = away.failure?.reason ?? ""
        #expect(reason.contains("localhost resolves to") && reason.contains("a loopback address"), "\(reason)")
        #expect(try server.requests()["/hello-1.0.tar.gz"] == 1, "the redirect's target was requested")
        // and never to file://
        let local = fetch("http://127.0.0.1:\(port)/__redirect?to=file:///etc/passwd", allowed: ["127.0.0.1"])
        #expect(local.failure?.reason.contains("only http, https and ftp") == true, "\(String(describing: local.failure))")
    }

    @Test func aRedirectLoopEndsAfterTenRedirects() throws {
        let outcome = fetch("http://127.0.0.1:\(server.port)/__loop", allowed: ["127.0.0.1"])
        #expect(outcome.failure?.reason.contains("more than 10 redirects") == true, "\(String(describing: outcome.failure))")
        #expect(try server.requests()["/__loop"] == 11)
    }
}
