#include "redis/redis_client.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <fmt/format.h>

namespace crossvoice::redis {
namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
    timeval value{};
    value.tv_sec = static_cast<decltype(value.tv_sec)>(duration.count() / 1000);
    value.tv_usec = static_cast<decltype(value.tv_usec)>((duration.count() % 1000) * 1000);
    return value;
}

RedisReply copy(const redisReply& reply) {
    RedisReply out;
    switch (reply.type) {
        case REDIS_REPLY_STRING:
            out.kind = RedisReply::Kind::kString;
            out.text.assign(reply.str, reply.len);
            break;
        case REDIS_REPLY_STATUS:
            out.kind = RedisReply::Kind::kStatus;
            out.text.assign(reply.str, reply.len);
            break;
        case REDIS_REPLY_INTEGER:
            out.kind = RedisReply::Kind::kInteger;
            out.integer = reply.integer;
            break;
        case REDIS_REPLY_ARRAY:
            out.kind = RedisReply::Kind::kArray;
            out.elements.reserve(reply.elements);
            for (std::size_t i = 0; i < reply.elements; ++i) out.elements.push_back(copy(*reply.element[i]));
            break;
        default: out.kind = RedisReply::Kind::kNil;
    }
    return out;
}

// Error replies that mean "this server cannot serve now" rather than "this command is wrong".
bool is_transient(std::string_view text) {
    for (const std::string_view prefix : {"LOADING", "READONLY", "MASTERDOWN", "BUSY", "TRYAGAIN", "CLUSTERDOWN"}) {
        if (text.rfind(prefix, 0) == 0) return true;
    }
    return false;
}

}  // namespace

void RedisClient::ContextDeleter::operator()(redisContext* context) const { redisFree(context); }

RedisClient::RedisClient(RedisEndpoint endpoint, RedisClientOptions options)
    : endpoint_(std::move(endpoint)), options_(options) {}

RedisClient::~RedisClient() = default;

core::Result<RedisClient::Context> RedisClient::dial() {
    Context context(
        redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, to_timeval(options_.connect_timeout)));
    if (!context) return core::Error::unavailable("redis: cannot allocate a connection");
    if (context->err != 0) {
        return core::Error::unavailable(
            fmt::format("redis at {}: cannot connect: {}", endpoint_.describe(), context->errstr));
    }
    redisSetTimeout(context.get(), to_timeval(options_.command_timeout));
    redisEnableKeepAlive(context.get());

    // AUTH and SELECT once per connection; their replies are checked like any command's.
    std::vector<std::vector<std::string>> setup;
    if (endpoint_.password) {
        if (endpoint_.user) {
            setup.push_back({"AUTH", *endpoint_.user, *endpoint_.password});
        } else {
            setup.push_back({"AUTH", *endpoint_.password});
        }
    }
    if (endpoint_.database != 0) setup.push_back({"SELECT", std::to_string(endpoint_.database)});
    for (const auto& arguments : setup) {
        std::vector<const char*> argv;
        std::vector<std::size_t> lengths;
        for (const auto& argument : arguments) {
            argv.push_back(argument.data());
            lengths.push_back(argument.size());
        }
        auto* raw = static_cast<redisReply*>(
            redisCommandArgv(context.get(), static_cast<int>(argv.size()), argv.data(), lengths.data()));
        if (raw == nullptr) {
            return core::Error::unavailable(
                fmt::format("redis at {}: {} failed: {}", endpoint_.describe(), arguments.front(), context->errstr));
        }
        const bool refused = raw->type == REDIS_REPLY_ERROR;
        const std::string text = refused ? std::string(raw->str, raw->len) : std::string();
        freeReplyObject(raw);
        if (refused) {
            return core::Error::unavailable(
                fmt::format("redis at {}: {} refused: {}", endpoint_.describe(), arguments.front(), text));
        }
    }
    return context;
}

RedisClient::Context RedisClient::take() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || leased_ < options_.pool_size; });
    ++leased_;
    if (idle_.empty()) return nullptr;  // the caller dials a new one
    Context context = std::move(idle_.back());
    idle_.pop_back();
    return context;
}

void RedisClient::give_back(Context context) {
    {
        std::lock_guard lock(mutex_);
        --leased_;
        if (context) idle_.push_back(std::move(context));
    }
    available_.notify_one();
}

core::Result<RedisReply> RedisClient::command(const std::vector<std::string>& arguments, std::string_view operation) {
    Context context = take();
    if (!context) {
        auto dialled = dial();
        if (!dialled) {
            give_back(nullptr);
            return std::move(dialled).error();
        }
        context = std::move(dialled).value();
    }
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    argv.reserve(arguments.size());
    lengths.reserve(arguments.size());
    for (const auto& argument : arguments) {
        argv.push_back(argument.data());
        lengths.push_back(argument.size());
    }
    auto* raw = static_cast<redisReply*>(
        redisCommandArgv(context.get(), static_cast<int>(argv.size()), argv.data(), lengths.data()));
    if (raw == nullptr) {
        // The connection is in an unknown state (half a reply may be pending): drop it.
        auto error = core::Error::unavailable(
            fmt::format("redis at {}: {}: {}", endpoint_.describe(), operation, context->errstr));
        give_back(nullptr);
        return error;
    }
    std::unique_ptr<redisReply, void (*)(void*)> reply(raw, freeReplyObject);
    give_back(std::move(context));
    if (reply->type == REDIS_REPLY_ERROR) {
        const std::string text(reply->str, reply->len);
        auto message = fmt::format("redis: {}: {}", operation, text);
        return is_transient(text) ? core::Error::unavailable(std::move(message))
                                  : core::Error::internal(std::move(message));
    }
    return copy(*reply);
}

core::Status RedisClient::ping() {
    auto reply = command({"PING"}, "ping");
    if (!reply) return std::move(reply).error();
    if (reply->kind != RedisReply::Kind::kStatus || reply->text != "PONG") {
        return core::Error::internal("redis: PING answered something other than PONG");
    }
    return {};
}

}  // namespace crossvoice::redis
