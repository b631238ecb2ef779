import HummingbirdBcrypt
import Repo

/// Password hashes and token digests of `[web]`: bcrypt for accounts (`pacbuild web
/// passwd`), sha256 for API tokens (a token is random and long, so a fast digest is enough).
public enum Passwords {
    /// bcrypt cost 12: about a quarter of a second per login here.
    public static func hash(_ password: String) -> String { Bcrypt.hash(password, cost: 12) }

    static func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A new API token (64 hex digits) and the sha256 `[web] tokens` records.
    public static func newToken() -> (token: String, sha256: String) {
        let token = SessionStore.randomToken()
        return (token, sha256(token))
    }

    static func sha256(_ text: String) -> String {
        let digest = Digest(.sha256)
        Array(text.utf8).withUnsafeBytes { digest.update($0) }
        return digest.finalHex()
    }
}
