// NeoWorker's SGX quote addon: an Intel SGX DCAP ECDSA quote (v3) for the enclave this Node.js
// process runs in, through Occlum's /dev/sgx device. Exports one function:
//
//   getQuote(reportData: Buffer | Uint8Array of 64 bytes) -> Buffer (the quote, as the device wrote it)
//
// and throws an Error with a `code` (and `errno` when the OS gave one) otherwise. See README.md.
//
// Occlum (src/libos/src/fs/dev_fs/dev_sgx/) answers these ioctls on /dev/sgx inside the enclave;
// the numbers and the argument layout are Occlum's (test/ioctl/main.c, and the constants in
// tools/toolchains/dcap_lib/src/occlum_dcap.rs), written out here rather than included: Occlum
// ships no header for them and this addon must build without the SGX SDK.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <node_api.h>

#define SGX_DEVICE "/dev/sgx"
#define REPORT_DATA_BYTES 64
// A v3 quote with a type-5 PEM chain is about 4.6 KB; anything above this is not a quote.
#define MAX_QUOTE_BYTES (1024u * 1024u)
// Occlum's own test retries a busy device once a second, 20 times.
#define MAX_BUSY_RETRIES 20

typedef struct {
    uint8_t d[REPORT_DATA_BYTES];
} sgx_report_data_t;

// Occlum: IoctlGenDCAPQuoteArg / sgxioc_gen_dcap_quote_arg_t.
typedef struct {
    const sgx_report_data_t *report_data; // input
    uint32_t *quote_len;                  // input: the buffer's size (the device does not update it)
    uint8_t *quote_buf;                   // output
} sgxioc_gen_dcap_quote_arg_t;

#define SGXIOC_GET_DCAP_QUOTE_SIZE _IOR('s', 7, uint32_t)
#define SGXIOC_GEN_DCAP_QUOTE _IOWR('s', 8, sgxioc_gen_dcap_quote_arg_t)

// The numbers dcap_lib hard-codes (x86-64: 3 pointers = 24 bytes).
_Static_assert(sizeof(sgxioc_gen_dcap_quote_arg_t) == 24, "Occlum's argument is three pointers");
_Static_assert(SGXIOC_GET_DCAP_QUOTE_SIZE == 0x80047307u, "SGXIOC_GET_DCAP_QUOTE_SIZE differs from Occlum's");
_Static_assert(SGXIOC_GEN_DCAP_QUOTE == 0xc0187308u, "SGXIOC_GEN_DCAP_QUOTE differs from Occlum's");

#define NOT_IN_OCCLUM "not inside an Occlum enclave"

static napi_value throw_error(napi_env env, const char *code, int os_errno, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static napi_value throw_error(napi_env env, const char *code, int os_errno, const char *format, ...) {
    char message[512];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);

    napi_value code_value, message_value, error;
    if (napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_value) != napi_ok ||
        napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &message_value) != napi_ok ||
        napi_create_error(env, code_value, message_value, &error) != napi_ok) {
        napi_throw_error(env, code, message);
        return NULL;
    }
    if (os_errno != 0) {
        napi_value errno_value;
        if (napi_create_int32(env, os_errno, &errno_value) == napi_ok) {
            napi_set_named_property(env, error, "errno", errno_value);
        }
    }
    napi_throw(env, error);
    return NULL;
}

static napi_value throw_type_error(napi_env env, const char *message) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
    return NULL;
}

// ioctl, retried while the device is busy (EBUSY) or the call was interrupted (EINTR).
static int sgx_ioctl(int fd, unsigned long request, void *arg) {
    for (int attempt = 0;; attempt++) {
        if (ioctl(fd, request, arg) == 0) return 0;
        if (errno == EINTR) continue;
        if (errno != EBUSY || attempt >= MAX_BUSY_RETRIES) return -1;
        sleep(1);
    }
}

// The reason for a failed ioctl, for people: which errno means what on Occlum's /dev/sgx.
static const char *ioctl_hint(int error) {
    switch (error) {
    case ENOTTY:
    case EINVAL:
        return "the device does not know Occlum's DCAP ioctls: " NOT_IN_OCCLUM ", or Occlum was built without DCAP";
    case EIO:
        return "Occlum's DCAP quote generator is not ready: the instance must run on SGX hardware (not SGX simulation) "
               "with the DCAP quote provider installed and a reachable PCCS (PCCS_URL)";
    case EBUSY:
        return "the device stayed busy";
    default:
        return "the quoting enclave or the DCAP quote provider failed";
    }
}

static napi_value get_quote(napi_env env, napi_callback_info info) {
    size_t argc = 1;
    napi_value argv[1];
    if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
    if (argc < 1) return throw_type_error(env, "getQuote(reportData): reportData must be a Buffer of 64 bytes");

    // Buffer is a Uint8Array; accept either, nothing else.
    bool is_typed_array = false;
    napi_typedarray_type type;
    size_t length = 0;
    void *data = NULL;
    if (napi_is_typedarray(env, argv[0], &is_typed_array) != napi_ok || !is_typed_array ||
        napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL) != napi_ok ||
        type != napi_uint8_array) {
        return throw_type_error(env, "getQuote(reportData): reportData must be a Buffer of 64 bytes");
    }
    if (length != REPORT_DATA_BYTES) {
        char message[128];
        snprintf(message, sizeof message, "getQuote(reportData): reportData must be exactly 64 bytes, got %zu", length);
        napi_throw_range_error(env, "ERR_OUT_OF_RANGE", message);
        return NULL;
    }
    sgx_report_data_t report_data;
    memcpy(report_data.d, data, REPORT_DATA_BYTES);

    int fd = open(SGX_DEVICE, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        if (error == ENOENT) {
            return throw_error(env, "SgxDeviceMissing", error,
                               "SGX quote: " SGX_DEVICE " not found: " NOT_IN_OCCLUM
                               " (the quote comes from Occlum's /dev/sgx device; outside one, use simulated evidence)");
        }
        return throw_error(env, "SgxDeviceUnavailable", error, "SGX quote: cannot open " SGX_DEVICE ": %s", strerror(error));
    }

    // A host with the in-kernel or out-of-tree SGX driver may have a /dev/sgx *directory*
    // (/dev/sgx/enclave, /dev/sgx/provision); that is the host, not an Occlum enclave.
    struct stat status;
    if (fstat(fd, &status) == 0 && S_ISDIR(status.st_mode)) {
        close(fd);
        return throw_error(env, "SgxDeviceMissing", ENOTTY,
                           "SGX quote: " SGX_DEVICE " not found: " NOT_IN_OCCLUM
                           " (" SGX_DEVICE " here is the host's SGX driver directory, not Occlum's device)");
    }

    uint32_t quote_size = 0;
    if (sgx_ioctl(fd, SGXIOC_GET_DCAP_QUOTE_SIZE, &quote_size) != 0) {
        int error = errno;
        close(fd);
        return throw_error(env, "SgxQuoteFailed", error, "SGX quote: SGXIOC_GET_DCAP_QUOTE_SIZE on " SGX_DEVICE " failed: %s (%s)",
                           strerror(error), ioctl_hint(error));
    }
    if (quote_size == 0 || quote_size > MAX_QUOTE_BYTES) {
        close(fd);
        return throw_error(env, "SgxQuoteFailed", 0, "SGX quote: the device reported a quote size of %u bytes", quote_size);
    }

    uint8_t *quote = calloc(quote_size, 1);
    if (quote == NULL) {
        close(fd);
        return throw_error(env, "SgxQuoteFailed", ENOMEM, "SGX quote: cannot allocate %u bytes for the quote", quote_size);
    }
    uint32_t quote_len = quote_size;
    sgxioc_gen_dcap_quote_arg_t arg = {.report_data = &report_data, .quote_len = &quote_len, .quote_buf = quote};
    if (sgx_ioctl(fd, SGXIOC_GEN_DCAP_QUOTE, &arg) != 0) {
        int error = errno;
        free(quote);
        close(fd);
        return throw_error(env, "SgxQuoteFailed", error, "SGX quote: SGXIOC_GEN_DCAP_QUOTE on " SGX_DEVICE " failed: %s (%s)",
                           strerror(error), ioctl_hint(error));
    }
    close(fd);

    // Occlum writes exactly quote_size bytes and leaves quote_len as given; honour a smaller
    // value should a later version report the length it wrote.
    size_t written = quote_len > 0 && quote_len <= quote_size ? quote_len : quote_size;
    napi_value result;
    napi_status status_copy = napi_create_buffer_copy(env, written, quote, NULL, &result);
    free(quote);
    if (status_copy != napi_ok) {
        return throw_error(env, "SgxQuoteFailed", 0, "SGX quote: cannot create the result Buffer");
    }
    return result;
}

static napi_value init(napi_env env, napi_value exports) {
    napi_value function;
    if (napi_create_function(env, "getQuote", NAPI_AUTO_LENGTH, get_quote, NULL, &function) != napi_ok ||
        napi_set_named_property(env, exports, "getQuote", function) != napi_ok) {
        napi_throw_error(env, NULL, "sgx_quote: cannot export getQuote");
        return NULL;
    }
    napi_value device;
    if (napi_create_string_utf8(env, SGX_DEVICE, NAPI_AUTO_LENGTH, &device) == napi_ok) {
        napi_set_named_property(env, exports, "device", device);
    }
    return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
