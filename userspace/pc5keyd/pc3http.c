// SPDX-License-Identifier: GPL-2.0
/*
 * PC3 transport: one HTTPS POST per transaction, libcurl with OpenSSL.
 * Verification is never optional: CURLOPT_SSL_VERIFYPEER and
 * CURLOPT_SSL_VERIFYHOST stay on, the CA is only ca-file (no system
 * store), https is the only protocol, redirects are not followed, and the
 * body is capped in the write callback.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/ssl.h>

#include "lib/util.h"
#include "pc3http.h"

/*
 * The KEY_RESPONSE carries PGKs in the clear inside TLS: OpenSSL wipes its
 * record buffers once they are read (the body itself is wiped by the
 * caller after parsing).
 */
struct tls_id {
	const char *cert_file;
	EVP_PKEY *pkey;		/* the client key in a token; NULL: curl loads key-file */
};

static CURLcode on_ssl_ctx(CURL *h, void *ctx, void *arg)
{
	const struct tls_id *id = arg;

	(void)h;
	SSL_CTX_set_options(ctx, SSL_OP_CLEANSE_PLAINTEXT);
	/*
	 * A key in a token is not a file curl can load: the certificate and
	 * the key go into the context here, the key as the engine's handle,
	 * which signs in the token.
	 */
	if (id->pkey && (SSL_CTX_use_certificate_chain_file(ctx, id->cert_file) != 1 ||
			 SSL_CTX_use_PrivateKey(ctx, id->pkey) != 1 ||
			 SSL_CTX_check_private_key(ctx) != 1))
		return CURLE_SSL_CERTPROBLEM;
	return CURLE_OK;
}

/*
 * curl_easy_setopt() for as long as every option is taken: the first one
 * refused (an option this libcurl lacks, a protocol it cannot speak) stops
 * the transaction with its name, never leaves a setting at its default.
 */
#define SETOPT(opt, val)						\
	do {								\
		if (rc == CURLE_OK) {					\
			rc = curl_easy_setopt(h, opt, val);		\
			if (rc != CURLE_OK)				\
				bad = #opt;				\
		}							\
	} while (0)

struct sink {
	char *buf;
	size_t cap, len;
	bool over;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;

	if (n > s->cap - s->len) {
		s->over = true;
		return CURL_WRITEFUNC_ERROR;	/* aborts the transfer */
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	return n;
}

int pc3http_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) ? -EIO : 0;
}

void pc3http_cleanup(void)
{
	curl_global_cleanup();
}

int pc3http_post(const struct conf *c, void *tls_key, const char *req, char *resp,
		 size_t cap, size_t *len, struct errmsg *why)
{
	struct tls_id id = { c->cert_file, tls_key };
	char errbuf[CURL_ERROR_SIZE] = "";
	struct sink s = { resp, cap, 0, false };
	struct curl_slist *hdrs = NULL;
	static const char *const headers[] = {
		"Content-Type: application/xml; charset=utf-8",
		"Accept: application/xml",
		"Expect:",
	};
	const char *ctype = NULL, *bad = NULL;
	long status = 0;
	CURLcode rc = CURLE_OK;
	CURL *h;
	int err = 0;

	*len = 0;
	h = curl_easy_init();
	if (!h)
		return fail(why, -ENOMEM, "curl: cannot initialise");
	for (size_t i = 0; i < ARRAY_SIZE(headers); i++) {
		struct curl_slist *more = curl_slist_append(hdrs, headers[i]);

		if (!more) {
			err = fail(why, -ENOMEM, "curl: out of memory");
			goto out;
		}
		hdrs = more;
	}
	SETOPT(CURLOPT_URL, c->pkmf_url);
	SETOPT(CURLOPT_PROTOCOLS_STR, "https");
	SETOPT(CURLOPT_FOLLOWLOCATION, 0L);
	SETOPT(CURLOPT_NOSIGNAL, 1L);
	SETOPT(CURLOPT_HTTPHEADER, hdrs);
	SETOPT(CURLOPT_POSTFIELDS, req);
	SETOPT(CURLOPT_POSTFIELDSIZE, (long)strlen(req));
	SETOPT(CURLOPT_USERAGENT, "pc5keyd/1");
	SETOPT(CURLOPT_CONNECTTIMEOUT, (long)(c->timeout < 10 ? c->timeout : 10));
	SETOPT(CURLOPT_TIMEOUT, (long)c->timeout);
	SETOPT(CURLOPT_MAXFILESIZE, (long)cap);
	SETOPT(CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(CURLOPT_WRITEDATA, &s);
	SETOPT(CURLOPT_ERRORBUFFER, errbuf);
	/* TLS: the PKMF proves itself against our CA only, we prove ourselves */
	SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
	SETOPT(CURLOPT_CAINFO, c->ca_file);
	SETOPT(CURLOPT_CAPATH, NULL);
	SETOPT(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (!tls_key) {
		SETOPT(CURLOPT_SSLCERT, c->cert_file);
		SETOPT(CURLOPT_SSLKEY, c->key_file);
	}
	SETOPT(CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
	SETOPT(CURLOPT_SSL_CTX_DATA, &id);
	/* optional: a revoked PKMF certificate, a PKMF key other than these */
	if (c->crl_file[0])
		SETOPT(CURLOPT_CRLFILE, c->crl_file);
	if (c->pkmf_pin[0])
		SETOPT(CURLOPT_PINNEDPUBLICKEY, c->pkmf_pin);
	if (rc != CURLE_OK) {
		err = fail(why, -EINVAL, "curl: %s: %s", bad, curl_easy_strerror(rc));
		goto out;
	}

	rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		err = (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ||
		       rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_SSL_CERTPROBLEM ||
		       rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH || rc == CURLE_SSL_CRL_BADFILE) ?
		      -EACCES : s.over ? -EFBIG : -EIO;
		if (s.over || rc == CURLE_FILESIZE_EXCEEDED)
			fail(why, err, "response larger than %zu bytes: refused", cap);
		else
			fail(why, err, "%s: %s", curl_easy_strerror(rc),
			     errbuf[0] ? errbuf : "-");
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ctype);
	if (status != 200) {
		err = fail(why, -EPROTO, "PKMF answered HTTP %ld", status);
		goto out;
	}
	if (!ctype || (strncasecmp(ctype, "application/xml", 15) &&
		       strncasecmp(ctype, "text/xml", 8))) {
		err = fail(why, -EPROTO, "PKMF answered with content type %.64s, not XML",
			   ctype ? ctype : "(none)");
		goto out;
	}
	*len = s.len;
out:
	if (err)
		explicit_bzero(resp, s.len);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	return err;
}
