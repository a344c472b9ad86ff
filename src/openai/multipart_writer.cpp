#include "openai/multipart_writer.hpp"

#include <random>
#include <utility>

namespace crossvoice::openai {
namespace {

// A name or filename inside a quoted Content-Disposition parameter: quotes and line breaks would end the
// parameter or the header, so they are percent-encoded the way browsers do (HTML's form submission rules).
std::string quoted_parameter(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        switch (ch) {
            case '"': out += "%22"; break;
            case '\r': out += "%0D"; break;
            case '\n': out += "%0A"; break;
            default: out.push_back(ch);
        }
    }
    return out;
}

// A header value without line breaks, so a content type cannot add headers of its own.
std::string header_value(const std::string& text) {
    std::string out;
    for (const char ch : text) {
        if (ch != '\r' && ch != '\n') out.push_back(ch);
    }
    return out.empty() ? "application/octet-stream" : out;
}

}  // namespace

MultipartWriter::MultipartWriter(BoundarySource boundary_source) : boundary_source_(std::move(boundary_source)) {
    if (!boundary_source_) boundary_source_ = &MultipartWriter::random_boundary;
}

void MultipartWriter::add_field(std::string name, std::string value) {
    parts_.push_back(Part{std::move(name), {}, {}, std::move(value), false});
}

void MultipartWriter::add_file(std::string name, std::string filename, std::string content_type, std::string data) {
    parts_.push_back(Part{std::move(name), std::move(filename), std::move(content_type), std::move(data), true});
}

std::string MultipartWriter::random_boundary() {
    constexpr std::string_view kAlphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
    std::string boundary = "crossvoice-";
    for (int i = 0; i < 32; ++i) boundary.push_back(kAlphabet[pick(engine)]);
    return boundary;
}

bool MultipartWriter::occurs_in_parts(const std::string& boundary) const {
    for (const auto& part : parts_) {
        for (const std::string* text : {&part.name, &part.filename, &part.content_type, &part.data}) {
            if (text->find(boundary) != std::string::npos) return true;
        }
    }
    return false;
}

MultipartWriter::Encoded MultipartWriter::encode() const {
    std::string boundary = boundary_source_();
    while (boundary.empty() || occurs_in_parts(boundary)) boundary = boundary_source_();

    std::size_t size = boundary.size() + 8;
    for (const auto& part : parts_) size += part.data.size() + part.name.size() + part.filename.size() + 160;
    std::string body;
    body.reserve(size);
    for (const auto& part : parts_) {
        body += "--" + boundary + "\r\n";
        body += "Content-Disposition: form-data; name=\"" + quoted_parameter(part.name) + "\"";
        if (part.is_file) {
            body += "; filename=\"" + quoted_parameter(part.filename) + "\"\r\n";
            body += "Content-Type: " + header_value(part.content_type);
        }
        body += "\r\n\r\n";
        body += part.data;
        body += "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return Encoded{"multipart/form-data; boundary=" + boundary, std::move(body)};
}

}  // namespace crossvoice::openai
