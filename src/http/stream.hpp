#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace crossvoice::http {

// The server's side of a long-lived response (Server-Sent Events, a WebSocket), handed to its StreamSource once
// the response head (or the WebSocket handshake) is out. Thread-safe; never blocks.
class StreamChannel {
  public:
    virtual ~StreamChannel() = default;
    // Queues one frame: an SSE event, exactly as it goes on the wire, or a WebSocket text message. False once the
    // stream is closed. A client that falls more than the server's backlog limit behind is disconnected rather
    // than buffered without bound: it reconnects and resumes.
    virtual bool send(std::string frame) = 0;
    // Ends the stream (after what is queued has been written, when the client still reads).
    virtual void close() = 0;
};

// What a handler returns to keep its response open: the source produces the frames.
class StreamSource {
  public:
    virtual ~StreamSource() = default;
    // Called once, on the connection's strand, when the client can receive frames.
    virtual void open(std::shared_ptr<StreamChannel> channel) = 0;
    // Called once when the stream ends, whoever ended it (the client, the server's shutdown, close()). The
    // source must drop its channel here: the two hold each other until then.
    virtual void closed() = 0;
    // A WebSocket text message from the client.
    virtual void on_message(std::string_view text) { (void)text; }
};

enum class StreamProtocol {
    kEventStream,  // text/event-stream: the head goes out with the handler's status and headers, then frames
    kWebSocket,    // the request is an upgrade: the handshake answers 101, then messages both ways
};

}  // namespace crossvoice::http
