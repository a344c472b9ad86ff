#pragma once

// Internal to http/: what Server-Sent Events and WebSocket sessions share. A stream session takes over a
// connection's socket once its handler returned a stream; it queues the source's frames and writes them one at a
// time on its strand, sends heartbeats, bounds the backlog of a slow client, and tells the source once when the
// stream ends.

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include "http/link.hpp"
#include "http/server_state.hpp"
#include "http/stream.hpp"

namespace crossvoice::http {

class StreamSession : public Link, public StreamChannel, public std::enable_shared_from_this<StreamSession> {
  public:
    StreamSession(Server::State& state, std::shared_ptr<StreamSource> source, ConnectionExecutor executor);
    ~StreamSession() override;

    // Runs the protocol's opening (head or handshake), then opens the source.
    virtual void start() = 0;

    bool send(std::string frame) override;
    void close() override;
    void close_if_idle() override;  // a stream is always between events: it ends at shutdown
    void force_close() override;
    ConnectionExecutor executor() override { return executor_; }

  protected:
    using WriteDone = std::function<void(boost::system::error_code)>;

    // Called on the strand once the client can receive frames.
    void opened();
    // Ends the stream (on the strand): drops what is queued, ends the transport (`graceful`: telling the client
    // why, where the protocol can) and tells the source. Only the first call does anything.
    void finish(bool graceful = false);
    bool finished() const { return finished_; }
    StreamSource& source() { return *source_; }
    Server::State& state() { return state_; }

    virtual void write_frame(const std::string& frame, WriteDone done) = 0;
    // The protocol's own keep-alive (an SSE comment, a WebSocket ping).
    virtual std::string heartbeat_frame() = 0;
    // Closes the transport; `graceful` when the client should be told why (a WebSocket close frame).
    virtual void end_transport(bool graceful) = 0;

  private:
    void write_next();
    void arm_heartbeat();

    Server::State& state_;
    std::shared_ptr<StreamSource> source_;
    ConnectionExecutor executor_;
    boost::asio::steady_timer heartbeat_;

    std::mutex mutex_;  // the queue, for send() from any thread
    std::deque<std::string> queue_;
    std::size_t queued_bytes_ = 0;
    bool writing_ = false;
    bool closing_ = false;  // no more frames; end once the queue is written
    bool closed_ = false;   // send() refuses

    // Strand only.
    std::string current_;
    bool finished_ = false;
    std::chrono::steady_clock::time_point last_write_{};
};

}  // namespace crossvoice::http
