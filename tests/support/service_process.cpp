#include "support/service_process.hpp"

#include "support/service_database.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace crossvoice::testing {
namespace {

std::vector<std::string> environment_with(const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> merged;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string text(*entry);
        const auto eq = text.find('=');
        // The caller's CROSSVOICE_* settings must not leak into a test's service.
        if (eq == std::string::npos || text.rfind("CROSSVOICE_", 0) == 0 || text.rfind("DATABASE_URL=", 0) == 0 ||
            text.rfind("REDIS_URL=", 0) == 0 || text.rfind("AMQP_URL=", 0) == 0) {
            continue;
        }
        merged[text.substr(0, eq)] = text.substr(eq + 1);
    }
    for (const auto& [key, value] : extra) merged[key] = value;
    std::vector<std::string> out;
    for (const auto& [key, value] : merged) out.push_back(key + "=" + value);
    return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// Spawns the binary with stdout and stderr redirected; returns the pid.
pid_t spawn(std::vector<std::string> args, const std::map<std::string, std::string>& env,
            const std::filesystem::path& working_dir, int stdout_fd, int stderr_fd) {
    args.insert(args.begin(), crossvoice_binary());
    auto env_strings = environment_with(env);
    auto argv = pointers(args);
    auto envp = pointers(env_strings);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, stderr_fd, STDERR_FILENO);
    posix_spawn_file_actions_addchdir_np(&actions, working_dir.c_str());
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
    return pid;
}

std::string read_all(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

int wait_exit(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) return -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

}  // namespace

std::string crossvoice_binary() {
    const char* path = std::getenv("CROSSVOICE_BINARY");
    if (path == nullptr) throw std::runtime_error("CROSSVOICE_BINARY is not set");
    return path;
}

CommandResult run_crossvoice(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                             const std::filesystem::path& working_dir) {
    const auto out_path = working_dir / ".cmd-stdout";
    const auto err_path = working_dir / ".cmd-stderr";
    const int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const pid_t pid = spawn(args, env, working_dir, out_fd, err_fd);
    ::close(out_fd);
    ::close(err_fd);
    CommandResult result;
    result.exit_code = wait_exit(pid);
    result.out = read_all(out_path);
    result.err = read_all(err_path);
    std::filesystem::remove(out_path);
    std::filesystem::remove(err_path);
    return result;
}

ServiceProcess::ServiceProcess(const std::filesystem::path& data_dir, std::map<std::string, std::string> env,
                               std::chrono::milliseconds startup, std::vector<std::string> args) {
    std::filesystem::create_directories(data_dir);
    env.emplace("CROSSVOICE_LISTEN", "127.0.0.1:0");
    env.emplace("CROSSVOICE_DATA_DIR", (data_dir / "data").string());
    // SQLite in the data directory, or PostgreSQL under CROSSVOICE_TEST_DATABASE=postgres (service_database.hpp).
    if (env.find("DATABASE_URL") == env.end()) env.emplace("DATABASE_URL", service_database_url(data_dir));
    // The scale-out rerun selects Redis and RabbitMQ too, when the test servers run. Each service gets a prefix of
    // its own there (a hash of its directory, stable across its restarts), so services of concurrent tests never
    // share rate-limit keys, once-only marks or job queues.
    if (const char* selected = std::getenv("CROSSVOICE_TEST_DATABASE");
        selected != nullptr && std::string(selected) == "postgres") {
        if (const char* redis = std::getenv("CROSSVOICE_TEST_REDIS_URL"); redis != nullptr && *redis != '\0') {
            env.emplace("REDIS_URL", redis);
        }
        if (const char* amqp = std::getenv("CROSSVOICE_TEST_AMQP_URL"); amqp != nullptr && *amqp != '\0') {
            env.emplace("AMQP_URL", amqp);
        }
        char prefix[32];
        std::snprintf(prefix, sizeof prefix, "t%016zx", std::hash<std::string>{}(data_dir.string()));
        env.emplace("CROSSVOICE_SHARED_PREFIX", prefix);
    }
    env.emplace("CROSSVOICE_LOG_LEVEL", "info");
    env.emplace("CROSSVOICE_FLOWS_DIR", CROSSVOICE_SOURCE_DIR "/config/flows");  // the shipped flows
    env.emplace("CROSSVOICE_KNOWLEDGE_DIR", CROSSVOICE_SOURCE_DIR "/config/knowledge");
    env.emplace("CROSSVOICE_ASSISTANT_DIR", CROSSVOICE_SOURCE_DIR "/config/assistant");
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    stderr_path_ = data_dir / "service-stderr.log";
    const int err_fd = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    pid_ = spawn(std::move(args), env, data_dir, pipe_fds[1], err_fd);
    ::close(pipe_fds[1]);
    ::close(err_fd);
    stdout_fd_ = pipe_fds[0];

    // Read stdout line by line until the listening line, polling so a hung start fails the test.
    const auto deadline = std::chrono::steady_clock::now() + startup;
    std::string pending;
    while (port_ == 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd fd{stdout_fd_, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&fd, 1, static_cast<int>(left.count())) <= 0) {
            terminate(std::chrono::seconds(5));
            throw std::runtime_error("service did not print its listening line; stderr:\n" + stderr_text());
        }
        char chunk[512];
        const auto n = ::read(stdout_fd_, chunk, sizeof chunk);
        if (n <= 0) {
            exit_code_ = wait_exit(pid_);
            throw std::runtime_error("service exited before listening; stderr:\n" + stderr_text());
        }
        pending.append(chunk, static_cast<std::size_t>(n));
        for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
            std::string line = pending.substr(0, nl);
            pending.erase(0, nl + 1);
            stdout_lines_.push_back(line);
            const std::string keys_prefix = "development API keys: ";
            const std::string listen_prefix = "listening on http://";
            if (line.rfind(keys_prefix, 0) == 0) {
                keys_file_ = line.substr(keys_prefix.size());
                if (!keys_file_.empty() && keys_file_[0] != '/') keys_file_ = (data_dir / keys_file_).string();
            }
            if (line.rfind(listen_prefix, 0) == 0)
                port_ = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
        }
    }
}

ServiceProcess::~ServiceProcess() {
    if (!exit_code_) {
        ::kill(pid_, SIGKILL);
        wait_exit(pid_);
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::string ServiceProcess::development_key(const std::string& platform_upper) const {
    std::ifstream file(keys_file_);
    std::string line;
    const std::string prefix = platform_upper + "_API_KEY=";
    while (std::getline(file, line)) {
        if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
    }
    throw std::runtime_error("no " + prefix + " in " + keys_file_);
}

int ServiceProcess::terminate(std::chrono::milliseconds wait) {
    if (exit_code_) return *exit_code_;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        const pid_t done = waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return *exit_code_;
        }
        // Polling the child's exit: waitpid has no timeout form.
        ::usleep(10'000);
    }
    return -1;
}

void ServiceProcess::kill_now() {
    if (exit_code_) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    if (waitpid(pid_, &status, 0) == pid_) exit_code_ = 128 + SIGKILL;
}

std::string ServiceProcess::printed(const std::string& prefix) const {
    for (const auto& line : stdout_lines_) {
        if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
    }
    return {};
}

std::string ServiceProcess::stderr_text() const { return read_all(stderr_path_); }

}  // namespace crossvoice::testing
