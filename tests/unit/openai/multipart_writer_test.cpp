#include "openai/multipart_writer.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace crossvoice::openai {
namespace {

TEST(MultipartWriterTest, WritesFieldsAndFilesInOrder) {
    MultipartWriter form([] { return std::string("BOUNDARY"); });
    form.add_file("file", "audio.wav", "audio/wav", std::string("RIFF\0\r\n", 7));
    form.add_field("model", "whisper-1");
    const auto encoded = form.encode();
    EXPECT_EQ(encoded.content_type, "multipart/form-data; boundary=BOUNDARY");
    EXPECT_EQ(encoded.body,
              "--BOUNDARY\r\n"
              "Content-Disposition: form-data; name=\"file\"; filename=\"audio.wav\"\r\n"
              "Content-Type: audio/wav\r\n\r\n" +
                  std::string("RIFF\0\r\n", 7) +
                  "\r\n"
                  "--BOUNDARY\r\n"
                  "Content-Disposition: form-data; name=\"model\"\r\n\r\n"
                  "whisper-1\r\n"
                  "--BOUNDARY--\r\n");
}

TEST(MultipartWriterTest, ABoundaryFoundInAPartIsDrawnAgain) {
    std::vector<std::string> candidates{"clash", "clash2", "fresh"};
    std::size_t drawn = 0;
    MultipartWriter form([&] { return candidates.at(drawn++); });
    form.add_file("file", "a.wav", "audio/wav", "bytes with clash inside");
    form.add_field("prompt", "and clash2 here");
    const auto encoded = form.encode();
    EXPECT_EQ(drawn, 3u);
    EXPECT_EQ(encoded.content_type, "multipart/form-data; boundary=fresh");
    EXPECT_TRUE(encoded.body.starts_with("--fresh\r\n"));
    EXPECT_TRUE(encoded.body.ends_with("--fresh--\r\n"));
}

TEST(MultipartWriterTest, NamesCannotBreakOutOfTheirHeader) {
    MultipartWriter form([] { return std::string("B"); });
    form.add_file("fi\"le", "evil\"\r\nX-Injected: 1.wav", "audio/wav\r\nX-Other: 2", "d");
    const auto body = form.encode().body;
    EXPECT_EQ(body.find("\r\nX-Injected"), std::string::npos) << body;
    EXPECT_EQ(body.find("\r\nX-Other"), std::string::npos) << body;
    EXPECT_NE(body.find("name=\"fi%22le\"; filename=\"evil%22%0D%0AX-Injected: 1.wav\""), std::string::npos) << body;
}

TEST(MultipartWriterTest, RandomBoundariesAreLongAndDiffer) {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        const auto boundary = MultipartWriter::random_boundary();
        EXPECT_EQ(boundary.size(), 43u);
        EXPECT_TRUE(boundary.starts_with("crossvoice-"));
        seen.insert(boundary);
    }
    EXPECT_EQ(seen.size(), 50u);
}

}  // namespace
}  // namespace crossvoice::openai
