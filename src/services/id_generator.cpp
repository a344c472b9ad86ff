#include "services/id_generator.hpp"

#include "core/ids.hpp"

namespace crossvoice::services {

std::string IdGenerator::next(std::string_view prefix) {
    core::IdEntropy entropy{};
    crypto_.random_bytes(entropy.data(), entropy.size());
    return core::make_id(prefix, clock_.now(), entropy);
}

}  // namespace crossvoice::services
