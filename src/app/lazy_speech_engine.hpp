#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/ports/speech_to_text.hpp"

namespace crossvoice::app {

// A SpeechToText made on first use. The local engine loads its acoustic model and dictionary (over a second
// of CPU) when created: commands that never transcribe (keys, flows, most service runs) should not pay for it.
// A failed creation is retried on the next request, so a model installed later is picked up.
class LazySpeechEngine final : public core::ports::SpeechToText {
  public:
    using Factory = std::function<core::Result<std::unique_ptr<core::ports::SpeechToText>>()>;

    LazySpeechEngine(std::string name, Factory factory) : name_(std::move(name)), factory_(std::move(factory)) {}

    std::string_view name() const override { return name_; }

    core::Result<core::Transcript> transcribe(const core::ports::SttRequest& request) override {
        core::ports::SpeechToText* engine = nullptr;
        {
            std::lock_guard lock(mutex_);
            if (!engine_) {
                auto made = factory_();
                if (!made) return std::move(made).error();
                engine_ = std::move(made).value();
            }
            engine = engine_.get();
        }
        return engine->transcribe(request);  // the engine is thread-safe; it is never replaced once made
    }

  private:
    const std::string name_;
    Factory factory_;
    std::mutex mutex_;
    std::unique_ptr<core::ports::SpeechToText> engine_;
};

}  // namespace crossvoice::app
