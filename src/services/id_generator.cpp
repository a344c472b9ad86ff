#include "services/id_generator.hpp"

namespace crossvoice::services {
namespace {

// Big-endian increment; false when every byte wrapped (2^80 ids in one millisecond).
bool increment(core::IdEntropy& entropy) {
    for (auto byte = entropy.rbegin(); byte != entropy.rend(); ++byte) {
        if (++*byte != 0) return true;
    }
    return false;
}

}  // namespace

std::string IdGenerator::next(std::string_view prefix) {
    core::IdEntropy fresh{};
    crypto_.random_bytes(fresh.data(), fresh.size());
    auto now = clock_.now();

    std::lock_guard lock(mutex_);
    if (now > last_time_) {
        last_entropy_ = fresh;
    } else {
        now = last_time_;
        if (!increment(last_entropy_)) now += std::chrono::milliseconds{1};
    }
    last_time_ = now;
    return core::make_id(prefix, now, last_entropy_);
}

}  // namespace crossvoice::services
