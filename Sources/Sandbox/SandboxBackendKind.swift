/// The isolation backends a build can run in. Their implementations arrive with the
/// sandbox issue; the names are fixed now because configuration files refer to them.
public enum SandboxBackendKind: String, Sendable, CaseIterable {
    /// User Mode Linux over a copy-on-write file on a shared ext4 image.
    case uml
    /// A throw-away QEMU virtual machine (KVM, else TCG) on a qcow2 overlay of the root's image.
    case vm
    /// Linux namespaces with an overlayfs over the build root.
    case namespace
    /// No isolation: development only, refused without `--unsafe-host`.
    case host
}
