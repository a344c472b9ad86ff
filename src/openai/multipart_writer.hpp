#pragma once

#include <functional>
#include <string>
#include <vector>

namespace crossvoice::openai {

// A multipart/form-data body (RFC 7578) built in memory: text fields and files, in the order added.
class MultipartWriter {
  public:
    using BoundarySource = std::function<std::string()>;

    // `boundary_source` draws candidate boundaries (a seam for tests); by default random_boundary().
    explicit MultipartWriter(BoundarySource boundary_source = {});

    void add_field(std::string name, std::string value);
    void add_file(std::string name, std::string filename, std::string content_type, std::string data);

    struct Encoded {
        std::string content_type;  // "multipart/form-data; boundary=<boundary>"
        std::string body;
    };
    // The body with a boundary that occurs in no part: a candidate found inside one (a WAV's bytes can hold
    // anything) is drawn again.
    Encoded encode() const;

    // "crossvoice-" and 32 random alphanumerics.
    static std::string random_boundary();

  private:
    struct Part {
        std::string name;
        std::string filename;  // empty for a text field
        std::string content_type;
        std::string data;
        bool is_file = false;
    };
    bool occurs_in_parts(const std::string& boundary) const;

    BoundarySource boundary_source_;
    std::vector<Part> parts_;
};

}  // namespace crossvoice::openai
