# crossvoice_module(NAME SOURCES ... DEPS ...)
# One static library per src/ folder, target cv_<NAME>, includable as "<name>/file.hpp" from src/.
function(crossvoice_module name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
    add_library(cv_${name} STATIC ${ARG_SOURCES})
    target_include_directories(cv_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(cv_${name} PUBLIC ${ARG_DEPS})
    crossvoice_warnings(cv_${name})
endfunction()

function(crossvoice_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                             -Wold-style-cast -Wcast-align -Woverloaded-virtual)
    if(CROSSVOICE_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    # GCC 12 reports impossible std::string overlaps at -O2/-O3 (-Wrestrict false positive, GCC bug 105651,
    # fixed in GCC 13): the Release build of ordinary string concatenation fails under -Werror without this.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
        target_compile_options(${target} PRIVATE -Wno-restrict)
    endif()
endfunction()

if(CROSSVOICE_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

# crossvoice_embed(TARGET VAR FILE): compiles FILE into TARGET as `std::string_view VAR()` in
# namespace crossvoice::embedded, regenerated whenever FILE changes.
function(crossvoice_embed target var file)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_${var}.cpp)
    add_custom_command(OUTPUT ${out}
        COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -DVAR=${var} -P ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
        DEPENDS ${file} ${PROJECT_SOURCE_DIR}/cmake/embed.cmake VERBATIM)
    target_sources(${target} PRIVATE ${out})
endfunction()
