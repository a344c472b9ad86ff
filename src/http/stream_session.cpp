#include "http/stream_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "observability/logging.hpp"

namespace crossvoice::http {

namespace net = boost::asio;

StreamSession::StreamSession(Server::State& state, std::shared_ptr<StreamSource> source, ConnectionExecutor executor)
    : state_(state), source_(std::move(source)), executor_(executor), heartbeat_(executor) {}

StreamSession::~StreamSession() { state_.unregister_connection(this); }

void StreamSession::opened() {
    last_write_ = std::chrono::steady_clock::now();
    arm_heartbeat();
    source_->open(std::static_pointer_cast<StreamChannel>(shared_from_this()));
}

bool StreamSession::send(std::string frame) {
    if (frame.empty()) return true;  // nothing to write; an empty current_ means "idle" to write_next
    bool start_writing = false;
    {
        std::lock_guard lock(mutex_);
        if (closed_ || closing_) return false;
        if (queued_bytes_ + frame.size() > state_.options.stream_backlog_bytes) {
            // Buffering without bound would let one stalled client exhaust memory; it reconnects and resumes.
            closed_ = true;
            net::post(executor_, [self = shared_from_this()] {
                self->state_.log->warn("stream closed: the client fell more than {} bytes behind",
                                       self->state_.options.stream_backlog_bytes);
                self->finish();
            });
            return false;
        }
        queued_bytes_ += frame.size();
        queue_.push_back(std::move(frame));
        if (!writing_) start_writing = writing_ = true;
    }
    if (start_writing) net::post(executor_, [self = shared_from_this()] { self->write_next(); });
    return true;
}

void StreamSession::close() {
    bool idle = false;
    {
        std::lock_guard lock(mutex_);
        if (closed_ || closing_) return;
        closing_ = true;
        idle = !writing_;
    }
    if (idle) {
        net::post(executor_, [self = shared_from_this()] { self->finish(true); });
    }
}

void StreamSession::close_if_idle() { close(); }

void StreamSession::force_close() {
    net::dispatch(executor_, [self = shared_from_this()] {
        if (self->finished_) return self->end_transport(false);  // a close handshake that takes too long
        self->finish();
    });
}

void StreamSession::write_next() {
    if (finished_) return;
    bool end = false;
    {
        std::lock_guard lock(mutex_);
        if (queue_.empty()) {
            writing_ = false;
            end = closing_;
        } else {
            current_ = std::move(queue_.front());
            queue_.pop_front();
            queued_bytes_ -= current_.size();
        }
    }
    if (end) return finish(true);
    if (current_.empty()) return;  // the queue was empty and the stream stays open: send() restarts writing
    write_frame(current_, [self = shared_from_this()](boost::system::error_code ec) {
        self->current_.clear();
        if (ec) return self->finish();
        self->last_write_ = std::chrono::steady_clock::now();
        self->write_next();
    });
}

void StreamSession::arm_heartbeat() {
    const auto every = state_.options.stream_heartbeat;
    heartbeat_.expires_after(every);
    heartbeat_.async_wait([self = shared_from_this(), every](boost::system::error_code ec) {
        if (ec || self->finished_) return;
        if (std::chrono::steady_clock::now() - self->last_write_ >= every) self->send(self->heartbeat_frame());
        self->arm_heartbeat();
    });
}

void StreamSession::finish(bool graceful) {
    if (finished_) return;
    finished_ = true;
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        queue_.clear();
        queued_bytes_ = 0;
    }
    heartbeat_.cancel();
    end_transport(graceful);
    if (source_) {
        auto source = std::move(source_);
        source->closed();
    }
}

}  // namespace crossvoice::http
