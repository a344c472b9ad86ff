#include "language/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <optional>
#include <system_error>
#include <utility>

#include <fmt/format.h>

extern char** environ;  // NOLINT: POSIX names it so

namespace crossvoice::language {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kChunkBytes = 64 * 1024;

class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;

    int get() const { return fd_; }
    bool open() const { return fd_ >= 0; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

  private:
    int fd_ = -1;
};

struct Pipe {
    Fd read;
    Fd write;
};

std::string errno_text(int error) { return std::error_code(error, std::generic_category()).message(); }

// O_CLOEXEC from the start, so a process another thread spawns meanwhile never inherits our ends.
std::optional<Pipe> make_pipe() {
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) return std::nullopt;
    return Pipe{Fd(fds[0]), Fd(fds[1])};
}

bool set_nonblocking(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

// A child that exits before reading all its input makes our write fail with EPIPE, and raise SIGPIPE, which
// would kill the whole service unless it is ignored. Blocking it on this thread only (the process-wide
// disposition belongs to main) and consuming the one our write raised keeps that local.
class SigpipeBlock {
  public:
    SigpipeBlock() {
        sigemptyset(&pipe_only_);
        sigaddset(&pipe_only_, SIGPIPE);
        sigset_t old{};
        pthread_sigmask(SIG_BLOCK, &pipe_only_, &old);
        was_blocked_ = sigismember(&old, SIGPIPE) == 1;
    }
    ~SigpipeBlock() {
        if (raised_) {
            const timespec no_wait{};
            while (sigtimedwait(&pipe_only_, nullptr, &no_wait) > 0) {
            }
        }
        if (!was_blocked_) pthread_sigmask(SIG_UNBLOCK, &pipe_only_, nullptr);
    }
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;
    void note_raised() { raised_ = true; }

  private:
    sigset_t pipe_only_{};
    bool was_blocked_ = false;
    bool raised_ = false;
};

// Owns the spawned child: unless it was reaped normally, its whole process group is killed and the child
// reaped, so no path (timeout, error, exception) leaves a process or a zombie behind.
class ChildGuard {
  public:
    explicit ChildGuard(pid_t pid) : pid_(pid) {}
    ~ChildGuard() {
        if (reaped_) return;
        ::kill(-pid_, SIGKILL);
        while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
    ChildGuard(const ChildGuard&) = delete;
    ChildGuard& operator=(const ChildGuard&) = delete;

    // Waits for the exit until `deadline`; nullopt when it has not exited by then. Called once the child has
    // closed its output, when it is about to exit anyway, so the short naps are rarely taken.
    std::optional<int> wait_until(Clock::time_point deadline) {
        for (;;) {
            int status = 0;
            const pid_t done = ::waitpid(pid_, &status, WNOHANG);
            if (done == pid_) {
                reaped_ = true;
                if (WIFEXITED(status)) return WEXITSTATUS(status);
                if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
                return -1;
            }
            if (done < 0 && errno != EINTR) {
                reaped_ = true;  // not ours to wait for any more (ECHILD): nothing left to clean up
                return -1;
            }
            if (Clock::now() >= deadline) return std::nullopt;
            ::poll(nullptr, 0, 2);
        }
    }

  private:
    pid_t pid_;
    bool reaped_ = false;
};

class SpawnSetup {
  public:
    SpawnSetup() {
        posix_spawn_file_actions_init(&actions_);
        posix_spawnattr_init(&attributes_);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions_);
        posix_spawnattr_destroy(&attributes_);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;

    bool prepare(int stdin_fd, int stdout_fd, int stderr_fd) {
        // dup2 onto 0/1/2 clears O_CLOEXEC on the copies, so only these three survive the exec.
        if (posix_spawn_file_actions_adddup2(&actions_, stdin_fd, STDIN_FILENO) != 0 ||
            posix_spawn_file_actions_adddup2(&actions_, stdout_fd, STDOUT_FILENO) != 0 ||
            posix_spawn_file_actions_adddup2(&actions_, stderr_fd, STDERR_FILENO) != 0) {
            return false;
        }
        sigset_t none{};
        sigemptyset(&none);
        sigset_t defaults{};
        sigemptyset(&defaults);
        sigaddset(&defaults, SIGPIPE);
        const auto flags = static_cast<short>(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        return posix_spawnattr_setflags(&attributes_, flags) == 0 && posix_spawnattr_setpgroup(&attributes_, 0) == 0 &&
               posix_spawnattr_setsigmask(&attributes_, &none) == 0 &&
               posix_spawnattr_setsigdefault(&attributes_, &defaults) == 0;
    }

    const posix_spawn_file_actions_t* actions() const { return &actions_; }
    const posix_spawnattr_t* attributes() const { return &attributes_; }

  private:
    posix_spawn_file_actions_t actions_{};
    posix_spawnattr_t attributes_{};
};

int poll_timeout_ms(Clock::time_point deadline) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

// Reads what is there; false at end of file or on an error.
bool drain(int fd, std::string& into) {
    std::array<char, kChunkBytes> buffer{};
    for (;;) {
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got > 0) {
            into.append(buffer.data(), static_cast<std::size_t>(got));
            if (static_cast<std::size_t>(got) < buffer.size()) return true;
            continue;
        }
        if (got < 0 && errno == EINTR) continue;
        return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

core::Error timed_out(const std::string& program, std::chrono::milliseconds timeout) {
    return core::Error{core::ErrorCode::kTimeout,
                       fmt::format("{} did not finish within {} ms", program, timeout.count()),
                       {{"program", program}, {"timeout_ms", std::to_string(timeout.count())}}};
}

}  // namespace

core::Result<ChildOutput> run_child(const std::vector<std::string>& argv, std::string_view input,
                                    const ChildLimits& limits) {
    if (argv.empty() || argv.front().empty()) return core::Error::internal("run_child needs a program");
    const std::string& program = argv.front();
    const auto deadline = Clock::now() + limits.timeout;

    auto in = make_pipe();
    auto out = make_pipe();
    auto err = make_pipe();
    if (!in || !out || !err) return core::Error::internal("could not create pipes: " + errno_text(errno));

    SpawnSetup setup;
    if (!setup.prepare(in->read.get(), out->write.get(), err->write.get())) {
        return core::Error::internal("could not prepare the child process");
    }
    std::vector<std::string> arguments = argv;  // posix_spawnp takes char* const[]
    std::vector<char*> pointers;
    pointers.reserve(arguments.size() + 1);
    for (auto& argument : arguments) pointers.push_back(argument.data());
    pointers.push_back(nullptr);

    SigpipeBlock sigpipe;  // outlives the child guard: the child is gone before the signal mask is restored
    pid_t pid = 0;
    const int spawned =
        posix_spawnp(&pid, program.c_str(), setup.actions(), setup.attributes(), pointers.data(), environ);
    if (spawned != 0) {
        return core::Error{core::ErrorCode::kUnavailable,
                           fmt::format("cannot run {}: {}", program, errno_text(spawned)),
                           {{"program", program}, {"reason", errno_text(spawned)}}};
    }
    ChildGuard child(pid);
    in->read.reset();
    out->write.reset();
    err->write.reset();
    Fd to_child = std::move(in->write);
    Fd from_child = std::move(out->read);
    Fd errors_from_child = std::move(err->read);
    if (!set_nonblocking(to_child.get()) || !set_nonblocking(from_child.get()) ||
        !set_nonblocking(errors_from_child.get())) {
        return core::Error::internal("could not make the child's pipes non-blocking");
    }

    ChildOutput result;
    std::size_t written = 0;
    if (input.empty()) to_child.reset();
    while (from_child.open() || errors_from_child.open()) {
        std::array<pollfd, 3> watched{};
        nfds_t count = 0;
        const auto watch = [&](const Fd& fd, short events) {
            if (fd.open()) watched[count++] = pollfd{fd.get(), events, 0};
        };
        watch(to_child, POLLOUT);
        watch(from_child, POLLIN);
        watch(errors_from_child, POLLIN);

        const int timeout_ms = poll_timeout_ms(deadline);
        if (timeout_ms == 0 && Clock::now() >= deadline) return timed_out(program, limits.timeout);
        const int ready = ::poll(watched.data(), count, timeout_ms);
        if (ready < 0) {
            if (errno == EINTR) continue;
            return core::Error::internal("poll on the child's pipes failed: " + errno_text(errno));
        }
        if (ready == 0) continue;  // the deadline check above decides

        for (nfds_t i = 0; i < count; ++i) {
            if (watched[i].revents == 0) continue;
            const int fd = watched[i].fd;
            if (fd == to_child.get()) {
                const std::size_t chunk = std::min(kChunkBytes, input.size() - written);
                const ssize_t put = ::write(fd, input.data() + written, chunk);
                if (put > 0) {
                    written += static_cast<std::size_t>(put);
                } else if (put < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    if (errno == EPIPE) sigpipe.note_raised();
                    to_child.reset();  // the child stopped reading; what it wrote still counts
                }
                // Closing stdin is the end-of-input a filter waits for before it finishes.
                if (written == input.size()) to_child.reset();
            } else if (fd == from_child.get()) {
                if (!drain(fd, result.out)) from_child.reset();
                if (result.out.size() > limits.max_output_bytes) {
                    return core::Error{core::ErrorCode::kPayloadTooLarge,
                                       fmt::format("{} wrote more than {} bytes", program, limits.max_output_bytes),
                                       {{"program", program}}};
                }
            } else if (fd == errors_from_child.get()) {
                if (!drain(fd, result.err)) errors_from_child.reset();
                if (result.err.size() > 2 * kMaxChildStderrBytes) {
                    result.err.erase(0, result.err.size() - kMaxChildStderrBytes);
                }
            }
        }
    }
    to_child.reset();
    if (result.err.size() > kMaxChildStderrBytes) result.err.erase(0, result.err.size() - kMaxChildStderrBytes);

    const auto status = child.wait_until(deadline);
    if (!status) return timed_out(program, limits.timeout);
    result.exit_code = *status;
    return result;
}

}  // namespace crossvoice::language
