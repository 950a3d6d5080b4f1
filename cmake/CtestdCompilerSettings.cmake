# SPDX-License-Identifier: BSD-3-Clause
# Warning and sanitizer switches shared by every ctestd target.
#
#   CTESTD_WERROR    treat warnings as errors (CI turns it on)
#   CTESTD_SANITIZE  build with AddressSanitizer and UndefinedBehaviorSanitizer

option(CTESTD_WERROR "Treat compiler warnings as errors" OFF)
option(CTESTD_SANITIZE "Build with ASan and UBSan" OFF)

add_library(ctestd_compiler_settings INTERFACE)
target_compile_options(ctestd_compiler_settings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused
  -Woverloaded-virtual -Wdouble-promotion -Wformat=2)
target_compile_definitions(ctestd_compiler_settings INTERFACE
  QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_URL_CAST_FROM_STRING
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT QT_DISABLE_DEPRECATED_BEFORE=0x050F00
  QT_NO_FOREACH)
if(CTESTD_WERROR)
  target_compile_options(ctestd_compiler_settings INTERFACE -Werror)
endif()
if(CTESTD_SANITIZE)
  target_compile_options(ctestd_compiler_settings INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(ctestd_compiler_settings INTERFACE -fsanitize=address,undefined)
endif()
