# node-gyp build of the SGX quote addon (see README.md). `node-gyp rebuild` here writes
# build/Release/sgx_quote.node and copies it to ./sgx_quote.node, where src/sgxQuote.js looks.
{
  "targets": [
    {
      "target_name": "sgx_quote",
      "sources": ["sgx_quote.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags_c": ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O2", "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2"],
      "ldflags": ["-Wl,-z,relro,-z,now"]
    },
    {
      "target_name": "copy_to_default_path",
      "type": "none",
      "dependencies": ["sgx_quote"],
      "copies": [
        {
          "destination": "<(module_root_dir)",
          "files": ["<(PRODUCT_DIR)/sgx_quote.node"]
        }
      ]
    }
  ]
}
