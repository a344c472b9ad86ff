# cmake -DIN=file -DOUT=file.cpp -DVAR=name -P embed.cmake
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n#include <string_view>\nnamespace crossvoice::embedded {\nnamespace {\nconstexpr char k_data[] = {${bytes} '\\0'};\n}\nstd::string_view ${VAR}() { return {k_data, ${size}}; }\n}  // namespace crossvoice::embedded\n")
