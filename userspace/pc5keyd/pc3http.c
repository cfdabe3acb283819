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

#include "pc3http.h"

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

int pc3http_post(const struct conf *c, const char *req, char *resp, size_t cap,
		 size_t *len, struct errmsg *why)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct sink s = { resp, cap, 0, false };
	struct curl_slist *hdrs = NULL;
	const char *ctype = NULL;
	long status = 0;
	CURLcode rc;
	CURL *h;
	int err = 0;

	*len = 0;
	h = curl_easy_init();
	if (!h)
		return fail(why, -ENOMEM, "curl: cannot initialise");
	hdrs = curl_slist_append(hdrs, "Content-Type: application/xml; charset=utf-8");
	hdrs = curl_slist_append(hdrs, "Accept: application/xml");
	hdrs = curl_slist_append(hdrs, "Expect:");
	curl_easy_setopt(h, CURLOPT_URL, c->pkmf_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, req);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(req));
	curl_easy_setopt(h, CURLOPT_USERAGENT, "pc5keyd/1");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)(c->timeout < 10 ? c->timeout : 10));
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)c->timeout);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE, (long)cap);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	/* TLS: the PKMF proves itself against our CA only, we prove ourselves */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
	curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(h, CURLOPT_SSLCERT, c->cert_file);
	curl_easy_setopt(h, CURLOPT_SSLKEY, c->key_file);

	rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		err = (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ||
		       rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_SSL_CERTPROBLEM) ?
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
