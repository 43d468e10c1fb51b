# The emulator's raw-ABI client and its case suite (abi-client cases): one target, built by
# the test tree (against vzemu) and by the static build (to run on the real OpenVZ kernel).
# Included with VZEMU_TESTS_DIR set to tests/vzemu/tests.
find_package(Threads REQUIRED)
add_executable(vzemu-abi-client ${VZEMU_TESTS_DIR}/abi-client.c ${VZEMU_TESTS_DIR}/abi-errname.c
	${VZEMU_TESTS_DIR}/abi-cases.c ${VZEMU_TESTS_DIR}/abi-cases-env.c
	${VZEMU_TESTS_DIR}/abi-cases-res.c ${VZEMU_TESTS_DIR}/abi-cases-quota.c
	${VZEMU_TESTS_DIR}/abi-cases-life.c ${VZEMU_TESTS_DIR}/abi-proc.c)
target_link_libraries(vzemu-abi-client PRIVATE vzlite_kernel_abi Threads::Threads)
