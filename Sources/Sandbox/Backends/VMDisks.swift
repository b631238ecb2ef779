import Foundation

/// One run's disks, in the machine's directory of its scratch (the run's copy-on-write
/// file among them: it goes with the scratch when the run ends, whatever the outcome, or
/// with the sweep of abandoned scratch after a SIGKILLed waka, ``ScratchLocks``).
struct VMDisks {
    let machine: String
    var overlay: String { machine + "/root.qcow2" }
    var job: String { machine + "/job.img" }
    var output: String { machine + "/out.img" }

    /// The qcow2 overlay of the root's image: what the guest writes to its root lands
    /// here. Its header names the image's path; QEMU is given the image by descriptor.
    func makeOverlay(of image: String) throws(SandboxError) {
        var info = stat()
        guard stat(image, &info) == 0 else { throw .io(path: image, reason: errnoText()) }
        try HostCommand.run(["qemu-img", "create", "-q", "-f", "qcow2", "-u", "-F", "raw", "-b", image, overlay, "\(info.st_size)"])
    }

    /// The job disk: an ext4 image of the job directory, `size` bytes (the disk limit;
    /// sparse), with the command file the init runs. Files keep their owners and modes.
    func makeJobDisk(from directory: String, command: [String], size: UInt64) throws(SandboxError) {
        let commandFile = directory + "/" + VMInit.commandFile
        unlink(commandFile)
        let text = "cd \(SandboxJob.mountPoint)\nexec \(command.map(shellQuoted).joined(separator: " "))\n"
        let fd = open(commandFile, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o444)
        guard fd >= 0 else { throw .io(path: commandFile, reason: "cannot write the VM command file: \(errnoText())") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        defer { unlink(commandFile) }
        guard written == bytes.count else { throw .io(path: commandFile, reason: "cannot write the VM command file: \(errnoText())") }
        let megabytes = max(size >> 20, 16)
        // no journal: the disk is thrown away with the run (a journal would cost 128 MiB of
        // real space per run for the default 32 GiB disk)
        try HostCommand.run(["mkfs.ext4", "-q", "-F", "-L", "pacbuild-job", "-m", "0", "-O", "^has_journal",
                             "-E", "lazy_itable_init=1,root_owner=0:0",
                             "-d", directory, job, "\(megabytes)M"])
    }

    /// The raw output disk, `size` bytes, sparse and empty.
    func makeOutputDisk(size: UInt64) throws(SandboxError) {
        let fd = open(output, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(path: output, reason: errnoText()) }
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0 else { throw .io(path: output, reason: "cannot size the output disk: \(errnoText())") }
    }

    /// The machine's directory and disks become the sandbox user's: QEMU runs as it.
    func handOver(to user: SandboxUser) throws(SandboxError) {
        for path in [machine, overlay, job, output] {
            guard chown(path, user.uid, user.gid) == 0 else {
                throw .io(path: path, reason: "cannot hand to \(SandboxUser.name): \(errnoText())")
            }
        }
    }
}
