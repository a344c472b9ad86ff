#include "language/language_detector.hpp"

#include <gtest/gtest.h>

#include <string>

namespace crossvoice::language {
namespace {

struct Sample {
    const char* code;
    const char* text;
};

TEST(DetectLanguage, NamesTheLanguageOfEachCallOpening) {
    const Sample samples[] = {
        {"en", "Hello, thank you for calling customer support. How can I help you with your account today?"},
        {"es",
         "Hola, gracias por llamar al servicio de atención al cliente. ¿En qué puedo ayudarle hoy con su cuenta?"},
        {"fr",
         "Bonjour, merci d'avoir appelé le service client. Comment puis-je vous aider avec votre compte "
         "aujourd'hui ?"},
        {"de",
         "Guten Tag, vielen Dank für Ihren Anruf beim Kundendienst. Wie kann ich Ihnen heute mit Ihrem Konto "
         "helfen?"},
    };
    for (const Sample& sample : samples) {
        const auto detected = detect_language(sample.text);
        ASSERT_TRUE(detected.has_value()) << sample.code;
        EXPECT_EQ(detected->code, sample.code);
        EXPECT_GT(detected->confidence, 0.5) << sample.code;
        EXPECT_LE(detected->confidence, 1.0) << sample.code;
    }
}

TEST(DetectLanguage, GivesNoAnswerForTextTooShortToTell) {
    EXPECT_FALSE(detect_language("").has_value());
    EXPECT_FALSE(detect_language("ok").has_value());
    EXPECT_FALSE(detect_language("hi").has_value());
    EXPECT_FALSE(detect_language("4111 1111 1111 1111").has_value());
}

TEST(DetectLanguage, RefusesInvalidUtf8) {
    std::string text = "Hello, thank you for calling customer support. How can I help you with your account today?";
    EXPECT_TRUE(detect_language(text).has_value());
    text[10] = '\xff';
    EXPECT_FALSE(detect_language(text).has_value());
    // A sequence cut short at the end.
    EXPECT_FALSE(detect_language(std::string("Hola, gracias por llamar al servicio de atenci\xc3")).has_value());
}

TEST(DetectLanguage, ReadsOnlyAPrefixOfVeryLongTextWithoutSplittingACharacter) {
    // The detector reads the first 64 KiB; here a two-byte "é" straddles that limit, and cutting it in half
    // would make the sample invalid UTF-8.
    constexpr std::size_t kLimit = 64 * 1024;
    std::string text;
    while (text.size() < kLimit - 200) text += "En qué puedo ayudarle hoy con su cuenta? Gracias por llamar. ";
    text.append(kLimit - 1 - text.size(), ' ');
    text += "é";
    ASSERT_EQ(static_cast<unsigned char>(text[kLimit]) & 0xC0U, 0x80U);
    while (text.size() < 3 * kLimit) text += " Muchas gracias por su paciencia.";
    const auto detected = detect_language(text);
    ASSERT_TRUE(detected.has_value());
    EXPECT_EQ(detected->code, "es");
}

}  // namespace
}  // namespace crossvoice::language
