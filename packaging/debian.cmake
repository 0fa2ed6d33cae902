# packaging/debian.cmake — CPack's Debian package `automuse`: everything `cmake --install`
# installs, its library dependencies found by dpkg-shlibdeps, and maintainer scripts that
# create the system user. `cpack -G DEB` in the build folder makes it (tests/packaging).
set(AUTOMUSE_PACKAGE_MAINTAINER "AutoMuse maintainers <maintainers@automuse.invalid>"
    CACHE STRING "The Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME automuse)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${AUTOMUSE_PACKAGE_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
# Every component in the one package: the host, the plugins, the SDK's headers and CMake files.
set(CPACK_DEB_COMPONENT_INSTALL OFF)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION video)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "plugin host for automated short-form content")
# The long description, below the summary; CPack indents it as Debian wants.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION [[
automuse-host writes, voices, renders and publishes short videos and posts
through plugins (YouTube Shorts, X, Amazon affiliate pitches are bundled),
on schedules, for many accounts. The package has the host, the bundled
plugins, the renderer's command line, the plugin SDK (C headers, C++20
helpers, CMake package automuse-sdk) and systemd units for the scheduler
daemon and job workers.]])
# Library dependencies from the binaries; data and programs used at run time by name.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "espeak-ng-data, fonts-dejavu-core, passwd")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-noto-cjk")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "xdg-utils, postgresql")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
