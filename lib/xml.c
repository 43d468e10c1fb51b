/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one way into libxml2 (xml.md §D). libxml2 2.9.14 has no XML_PARSE_NO_XXE, so safety
 * comes from what is not asked for and from refusing early:
 *   - the size is checked before parsing; only UTF-8 is read (the declaration is checked
 *     and the decoder forced, so a declared or BOM-detected UTF-16 never switches it);
 *   - options: XML_PARSE_NONET only. Never XML_PARSE_NOENT (entity substitution),
 *     DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE;
 *   - the SAX internalSubset callback stops the parser at "<!DOCTYPE", before any entity
 *     declaration of the internal subset is read, so neither an external entity nor a
 *     billion-laughs expansion is ever looked at;
 *   - the tree is then walked with depth and count limits, and entity-reference nodes or a
 *     subset are refused again in case a libxml2 change let one through.
 * Errors go to a per-parse structured handler (ctxt->sax->serror), never to libxml2's
 * global handler, so the library keeps no global state and prints nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "macro.h"
#include "xml.h"

struct read_state {
	int doctype;   /* the parser met a DOCTYPE and was stopped */
	int line;      /* of the first error */
	char msg[256]; /* the first error's message */
};

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
		       const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct read_state *st = ctxt->_private;
	(void)name, (void)external_id, (void)system_id;
	st->doctype = 1;
	if (!st->line)
		st->line = xmlSAX2GetLineNumber(ctxt);
	xmlStopParser(ctxt);
}

static void on_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct read_state *st = ctxt ? ctxt->_private : NULL;
	if (!st || st->msg[0] || !e || e->level < XML_ERR_ERROR)
		return;
	st->line = e->line;
	snprintf(st->msg, sizeof(st->msg), "%s", e->message ? e->message : "not well-formed");
	/* libxml2's messages end with a newline. */
	size_t n = strlen(st->msg);
	while (n && (st->msg[n - 1] == '\n' || st->msg[n - 1] == ' '))
		st->msg[--n] = '\0';
}

/* The encoding named by an XML declaration, if any, must be UTF-8. */
static int check_encoding(const char *buf, size_t len, vzl_error **err)
{
	size_t start = 0;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		start = 3;
	/* A UTF-16/32 byte-order mark or NUL makes libxml2 guess another encoding. */
	if (len > start && (buf[start] == '\0' || (unsigned char)buf[start] >= 0xfe))
		return error_set(err, EINVAL, 0, VZL_STEP_XML, NULL,
				 "the document is not UTF-8; save it as UTF-8");
	if (len - start < 5 || memcmp(buf + start, "<?xml", 5) != 0)
		return 0;
	const char *end = memmem(buf + start, len - start, "?>", 2);
	if (!end)
		return 0; /* the parser reports it */
	size_t decl_len = (size_t)(end - buf) - start;
	const char *enc = memmem(buf + start, decl_len, "encoding", 8);
	if (!enc)
		return 0;
	const char *p = enc + 8;
	while (p < end && strchr(" \t\r\n=", *p))
		p++;
	if (p < end && (*p == '"' || *p == '\'')) {
		const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
		if (q && q - p - 1 == 5 && strncasecmp(p + 1, "UTF-8", 5) == 0)
			return 0;
	}
	return error_set(err, EINVAL, 0, VZL_STEP_XML, NULL,
			 "line 1: only UTF-8 documents are read; remove the encoding "
			 "declaration or make it encoding='UTF-8'");
}

/* Depth and count limits, and what must never be in the tree. */
static int walk(const xmlNode *n, int depth, unsigned *count, vzl_error **err)
{
	for (; n; n = n->next) {
		switch (n->type) {
		case XML_ELEMENT_NODE:
			if (++*count > XML_MAX_ELEMENTS)
				return xml_error(err, n,
						 "more than %d elements; a domain document "
						 "has a few dozen",
						 XML_MAX_ELEMENTS);
			if (depth > XML_MAX_DEPTH)
				return xml_error(err, n, "nested more than %d levels deep",
						 XML_MAX_DEPTH);
			int r = walk(n->children, depth + 1, count, err);
			if (r < 0)
				return r;
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
		case XML_COMMENT_NODE:
		case XML_ATTRIBUTE_NODE:
			break;
		default:
			return xml_error(err, n->parent,
					 "contains an entity reference, processing instruction or "
					 "DTD node; these are not allowed");
		}
	}
	return 0;
}

int xml_read(const char *buf, size_t len, xmlDoc **ret, vzl_error **err)
{
	if (len > XML_MAX_SIZE)
		return error_set(err, EFBIG, 0, VZL_STEP_XML, NULL,
				 "the document has %zu bytes, more than the limit of %u; a domain "
				 "document is a few KiB",
				 len, XML_MAX_SIZE);
	if (len == 0)
		return error_set(err, EINVAL, 0, VZL_STEP_XML, NULL, "the document is empty");
	int r = check_encoding(buf, len, err);
	if (r < 0)
		return r;

	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	struct read_state st = { 0 };
	ctxt->_private = &st;
	ctxt->sax->internalSubset = on_doctype;
	ctxt->sax->externalSubset = NULL;
	ctxt->sax->resolveEntity = NULL;
	ctxt->sax->serror = on_error;
	ctxt->sax->error = NULL;
	ctxt->sax->warning = NULL;
	ctxt->vctxt.error = NULL;
	ctxt->vctxt.warning = NULL;

	xmlDoc *doc = xmlCtxtReadMemory(ctxt, buf, (int)len, "domain.xml", "UTF-8",
					XML_PARSE_NONET);
	xmlFreeParserCtxt(ctxt);
	if (st.doctype) {
		xmlFreeDoc(doc);
		return error_set(
			err, EINVAL, 0, VZL_STEP_XML, NULL,
			"line %d: a DOCTYPE is not allowed (no DTDs or entities are read); "
			"remove it",
			st.line);
	}
	if (!doc)
		return error_set(err, EINVAL, 0, VZL_STEP_XML, NULL, "line %d: %s", st.line,
				 st.msg[0] ? st.msg : "the document is not well-formed XML");
	xmlNode *root = xmlDocGetRootElement(doc);
	unsigned count = 0;
	if (doc->intSubset || doc->extSubset)
		r = error_set(err, EINVAL, 0, VZL_STEP_XML, NULL, "a DOCTYPE is not allowed");
	else if (!root)
		r = error_set(err, EINVAL, 0, VZL_STEP_XML, NULL,
			      "the document has no root element");
	else
		r = walk(root, 1, &count, err);
	if (r < 0) {
		xmlFreeDoc(doc);
		return r;
	}
	*ret = doc;
	return 0;
}

int xml_error(vzl_error **err, const xmlNode *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!n)
		return error_set(err, EINVAL, 0, VZL_STEP_XML, NULL, "%s", msg);
	return error_set(err, EINVAL, 0, VZL_STEP_XML, NULL, "line %ld, <%s%s%s>: %s",
			 xmlGetLineNo(n), n->ns && n->ns->prefix ? (const char *)n->ns->prefix : "",
			 n->ns && n->ns->prefix ? ":" : "", n->name ? (const char *)n->name : "?",
			 msg);
}

xmlNode *xml_element(xmlNode *n)
{
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

int xml_is(const xmlNode *n, const char *ns, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
		return 0;
	if (!ns)
		return !n->ns;
	return n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0;
}

static const char *attr_value(const xmlAttr *a)
{
	/* Without entity substitution an attribute is one text node (or none when empty). */
	if (!a->children)
		return "";
	if (a->children->type != XML_TEXT_NODE || a->children->next)
		return NULL;
	return (const char *)a->children->content;
}

const char *xml_attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (!a->ns && strcmp((const char *)a->name, name) == 0)
			return attr_value(a);
	return NULL;
}

int xml_check_attrs(const xmlNode *n, const char *const *allowed, vzl_error **err)
{
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		int ok = 0;
		for (const char *const *p = allowed; !a->ns && p && *p; p++)
			ok |= strcmp(*p, (const char *)a->name) == 0;
		if (!ok)
			return xml_error(err, n, "unsupported attribute '%s'", a->name);
		if (!attr_value(a))
			return xml_error(err, n, "attribute '%s' has an unexpected value", a->name);
	}
	return 0;
}

int xml_text(const xmlNode *n, const char **ret, vzl_error **err)
{
	const char *text = NULL;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_COMMENT_NODE)
			continue;
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
			return xml_error(err, n, "must contain text only");
		if (text)
			return xml_error(err, n, "must contain one piece of text");
		text = (const char *)c->content;
	}
	*ret = text ? text : "";
	return 0;
}

int xml_number(const char *s, unsigned long long max, unsigned long long *ret)
{
	unsigned long long v = 0;
	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		unsigned d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*ret = v;
	return 0;
}

int xml_ve_set(struct xml_ve *x, const char *key, const char *value, int raw)
{
	for (size_t i = 0; i < x->n_kv; i++)
		if (strcmp(x->kv[i].key, key) == 0) {
			char *v = strdup(value);
			if (!v)
				return -ENOMEM;
			free(x->kv[i].value);
			x->kv[i].value = v;
			return 0;
		}
	struct xml_kv *n = reallocarray(x->kv, x->n_kv + 1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	x->kv = n;
	struct xml_kv *kv = &n[x->n_kv];
	kv->raw = raw;
	kv->key = strdup(key);
	kv->value = strdup(value);
	if (!kv->key || !kv->value) {
		free(kv->key);
		free(kv->value);
		return -ENOMEM;
	}
	x->n_kv++;
	return 0;
}

const char *xml_ve_get(const struct xml_ve *x, const char *key)
{
	for (size_t i = 0; i < x->n_kv; i++)
		if (strcmp(x->kv[i].key, key) == 0)
			return x->kv[i].value;
	return NULL;
}

void xml_ve_done(struct xml_ve *x)
{
	for (size_t i = 0; i < x->n_kv; i++) {
		free(x->kv[i].key);
		free(x->kv[i].value);
	}
	free(x->kv);
	free(x->uuid);
	free(x->profile);
	*x = (struct xml_ve){ 0 };
}

/* Seed markers and libvirt-only elements of xml.md §0.4. */
static void classify(xmlNode *root, int *seed, int *libvirt)
{
	static const char *const seed_top[] = { "profile", "quota", "nameserver", "hostname",
						NULL };
	static const char *const libvirt_top[] = { "os",   "memory",  "currentMemory",
						   "vcpu", "memtune", "metadata",
						   NULL };
	for (xmlNode *n = xml_element(root->children); n; n = xml_element(n->next)) {
		for (const char *const *p = seed_top; *p; p++)
			*seed |= xml_is(n, NULL, *p);
		for (const char *const *p = libvirt_top; *p; p++)
			*libvirt |= xml_is(n, NULL, *p);
		int fs = xml_is(n, NULL, "filesystem"), devs = xml_is(n, NULL, "devices");
		if (fs && xml_attr(n, "type"))
			*libvirt = 1;
		for (xmlNode *c = xml_element(n->children); (fs || devs) && c;
		     c = xml_element(c->next)) {
			*seed |= fs && (xml_is(c, NULL, "template") || xml_is(c, NULL, "quota"));
			if (devs && xml_is(c, NULL, "filesystem")) {
				*libvirt |= xml_attr(c, "type") != NULL;
				for (xmlNode *g = xml_element(c->children); g;
				     g = xml_element(g->next))
					*seed |= xml_is(g, NULL, "template") ||
						 xml_is(g, NULL, "quota");
			}
			if (devs && xml_is(c, NULL, "interface")) {
				*libvirt |= xml_attr(c, "type") != NULL;
				for (xmlNode *g = xml_element(c->children); g;
				     g = xml_element(g->next))
					*seed |= xml_is(g, NULL, "ipaddress");
			}
		}
	}
}

int xml_parse_ve(const char *buf, size_t len, const struct units_target *t, struct xml_ve *x,
		 vzl_error **err)
{
	xmlDoc *doc = NULL;
	*x = (struct xml_ve){ 0 };
	int r = xml_read(buf, len, &doc, err);
	if (r < 0)
		return r;
	xmlNode *root = xmlDocGetRootElement(doc);
	const char *type = xml_attr(root, "type");
	int seed = 0, libvirt = 0;
	if (!xml_is(root, NULL, "domain"))
		r = xml_error(err, root,
			      "the root element must be <domain type='openvz'> in no "
			      "namespace");
	else if (!type || strcmp(type, "openvz") != 0)
		r = xml_error(err, root, "type='%s' is not an OpenVZ domain; use type='openvz'",
			      type ? type : "");
	if (r == 0) {
		classify(root, &seed, &libvirt);
		if (seed && libvirt)
			r = xml_error(err, root,
				      "the document mixes the seed proposal's format "
				      "(<template>, <quota>, <profile>, <ipaddress>, "
				      "<nameserver>, <hostname>) with libvirt's (<os>, "
				      "<memory>, <vcpu>, <memtune>, <metadata>, type= on "
				      "<filesystem> or <interface>); use one");
	}
	if (r == 0) {
		x->seed = seed;
		r = seed ? xml_seed_parse(root, t, x, err) : xml_libvirt_parse(root, t, x, err);
	}
	xmlFreeDoc(doc);
	if (r < 0)
		xml_ve_done(x);
	return r;
}
