/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain XML (docs/xml.md): the one safe entry into libxml2 (xml.c), the tree helpers the
 * two readers share, and what a document says, as config values (struct xml_ve). The seed
 * proposal's format is read by xml-seed.c, libvirt's format and vzlite's extension by
 * xml-libvirt.c; dumpxml.c writes the latter.
 */
#ifndef VZL_XML_H
#define VZL_XML_H

#include <libxml/tree.h>
#include <stddef.h>

#include "units.h"
#include "value.h"
#include "veid.h"
#include "vzlite.h"

/* Limits of xml.md §D: real domain documents are a few KiB. */
#define XML_MAX_SIZE       (1024u * 1024u)
#define XML_MAX_DEPTH      16
#define XML_MAX_ELEMENTS   4096
#define XML_MAX_INTERFACES 64
#define XML_MAX_ADDRESSES  256

/* vzlite's extension namespace (xml.md §C.1). Never changes once released. */
#define XML_NS_VZ "urn:vzlite:ve:1"

/*
 * vzlite's own config key for per-uid/gid quota limits (xml.md §A), outside the parameter
 * table since vzctl has no such key.
 */
#define XML_KEY_UGID_QUOTA VALUE_UGID_QUOTA_KEY

/*
 * Has config key `key` an element of its own in a document (the table's XML places, and
 * XML_KEY_UGID_QUOTA)? Then dumpxml writes it there, and <vz:param> refuses it (§C.2).
 */
int xml_key_has_element(const char *key);

/* Lowest VEID a document may name: that of a new VE (ve.h, xml.md §0.3). */
#define XML_VEID_MIN VEID_FIRST_FREE

/*
 * Parse `len` bytes of `buf` as a UTF-8 document, refusing (VZL_STEP_XML, -EINVAL) what §D
 * lists: more than XML_MAX_SIZE bytes (checked first), another declared encoding, any
 * DOCTYPE (the parser stops at it, so no entity is ever declared), entity references, a tree
 * deeper or larger than the limits. No file or network access. Errors name the line.
 */
int xml_read(const char *buf, size_t len, xmlDoc **ret, vzl_error **err);

/* An error about node `n`: "line N, <name>: " + the message. Returns -EINVAL. */
int xml_error(vzl_error **err, const xmlNode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* `n`, or the next sibling after it, that is an element; NULL if none. */
xmlNode *xml_element(xmlNode *n);
/* n is element `name` in namespace `ns` (NULL: no namespace). */
int xml_is(const xmlNode *n, const char *ns, const char *name);
/* The value of attribute `name` (no namespace), borrowed; NULL when absent. */
const char *xml_attr(const xmlNode *n, const char *name);
/* -EINVAL with a message naming the first attribute of `n` not in `allowed` (NULL-ended). */
int xml_check_attrs(const xmlNode *n, const char *const *allowed, vzl_error **err);
/* The text of a leaf element, verbatim; an element child is an error. Borrowed into *ret. */
int xml_text(const xmlNode *n, const char **ret, vzl_error **err);
/* Plain unsigned decimal (no sign, blank or leading zero beyond "0"), at most `max`. */
int xml_number(const char *s, unsigned long long max, unsigned long long *ret);

/* One config value a document sets. `raw`: a key outside the parameter table (vz:param). */
struct xml_kv {
	char *key, *value;
	int raw;
};

/* What a document says: the VE, and config values to put on top of the profile. */
struct xml_ve {
	unsigned veid;
	char *uuid;       /* as written, or NULL */
	char *profile;    /* the sample to start from, or NULL (vz.conf's CONFIGFILE) */
	int seed;         /* the seed proposal's format */
	int has_ipv6;     /* an IPv6 address in IP_ADDRESS */
	int mount;        /* <filesystem type='mount'>: no template is extracted */
	int ugid_entries; /* per-uid/gid quota entries in VZLITE_UGID_QUOTA */
	struct xml_kv *kv;
	size_t n_kv;
};

/* Set (or replace) `key`. -ENOMEM. */
int xml_ve_set(struct xml_ve *x, const char *key, const char *value, int raw);
/* The value set for `key`, or NULL. */
const char *xml_ve_get(const struct xml_ve *x, const char *key);
void xml_ve_done(struct xml_ve *x);

/*
 * Read a whole document of either format into `x` (zeroed first). Every check that needs
 * nothing but the document is done here; what needs the host (profile, UUIDs in use, IPV6)
 * is define.c's. `t` gives LONG_MAX and the page size. -EINVAL or -ENOMEM.
 */
int xml_parse_ve(const char *buf, size_t len, const struct units_target *t, struct xml_ve *x,
		 vzl_error **err);

/* The two readers, given the root element (xml-seed.c, xml-libvirt.c). */
int xml_seed_parse(xmlNode *root, const struct units_target *t, struct xml_ve *x, vzl_error **err);
int xml_libvirt_parse(xmlNode *root, const struct units_target *t, struct xml_ve *x,
		      vzl_error **err);

/* Shared value rules (xml-seed.c), each returning 0 or an xml_error on `n`. */
int xml_check_veid(const xmlNode *n, const char *text, unsigned *ret, vzl_error **err);
/* `text` as a value of config key `key`, by the rule `vzlite set` applies (value_check);
 * *ret_canonical (when non-NULL) is its canonical form, malloc()ed. */
int xml_check_param(const xmlNode *n, const struct units_target *t, const char *key,
		    const char *text, char **ret_canonical, vzl_error **err);
/* One word of list `key` (NAMESERVER, SEARCHDOMAIN): no blank, and the key's rule. */
int xml_check_word(const xmlNode *n, const struct units_target *t, const char *key,
		   const char *text, vzl_error **err);
/* One address with optional /PREFIX, by IP_ADDRESS's rule, canonicalised into buf
 * (INET6_ADDRSTRLEN + 8 bytes); returns 4 or 6 (the family). */
int xml_check_ip(const xmlNode *n, const struct units_target *t, const char *text, char *buf,
		 size_t size, vzl_error **err);
/* Append `word` to the space-separated value of `key` in x; a duplicate is refused. */
int xml_ve_append(struct xml_ve *x, const xmlNode *n, const char *key, const char *word,
		  vzl_error **err);

/* State of reading libvirt's format (xml-libvirt.c) and the extension (xml-ext.c). */
#define XML_MAX_VETH 64
struct xml_veth {
	const xmlNode *node;
	char guest[64], host_mac[32], mac_filter[4];
	int used;
};
struct xml_state {
	const struct units_target *t;
	struct xml_ve *x;
	struct xml_veth veth[XML_MAX_VETH];
	size_t n_veth;
};

/* One libvirt <interface> (xml-libvirt-net.c); *netif_n counts the veth devices so far. */
int xml_libvirt_parse_interface(struct xml_state *s, unsigned *netif_n, xmlNode *itf,
				vzl_error **err);
/* Read <metadata>: vzlite's <vz:ve> into s->x; other namespaces are ignored. */
int xml_ext_metadata(struct xml_state *s, xmlNode *md, vzl_error **err);
/* xml_ve_set with the error set on failure. */
int xml_state_set(struct xml_state *s, const char *key, const char *value, int raw,
		  vzl_error **err);

/* The document for a VE's config (dumpxml.c); `uuid` may be NULL. malloc()ed. */
int xml_dump(const vzl_config *cfg, unsigned veid, const char *uuid, int running,
	     const struct units_target *t, char **ret, vzl_error **err);

#endif
