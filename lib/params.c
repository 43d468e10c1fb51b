/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The parameter table (see params.h). Facts come from docs/vzctl-behaviour.md §1.1, §2.4,
 * §2.5, §2.7 and §3.2/§3.6, and kernel-abi.md §8/§9 for which call applies what.
 *
 * Defaults are the value a key effectively has when it is set nowhere (neither the VE config
 * nor vz.conf), written in config syntax, not what vz.conf happens to ship; the shipped
 * value is mentioned in the help where it matters. NULL means vzctl does nothing for it.
 */
#include <string.h>

#include "apply.h"
#include "macro.h"
#include "params.h"

/* Other options of a row: a NULL-terminated array with static storage. */
#define OPTS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* A UB resource sent with setublimit(); `id` is the kernel's UB_* number. */
#define UB(id)                                                                                     \
	.type = PARAM_T_UBC, .ub_resource = (id), .live = PARAM_LIVE_YES,                          \
	.applier = PARAM_A_SETUBLIMIT, .dup = PARAM_DUP_LAST, .xml.ext = "vz:ubc",                 \
	.apply = apply_setublimit

/* Every other row: no beancounter resource of its own. */
#define NO_UB .ub_resource = -1

/* Host-wide keys read from vz.conf only, never written back. */
#define GLOBAL_KEY                                                                                 \
	NO_UB, .live = PARAM_LIVE_GLOBAL, .applier = PARAM_A_NONE,                                 \
	       .xml.none = "a host-wide setting of vz.conf, not of one VE",                        \
	       .apply = apply_host_setting

/* A key carried verbatim by the extension's generic element. */
#define XML_PARAM .xml.ext = PARAM_XML_EXT_PARAM

/* One row per line group, laid out by hand: clang-format would put each field on a line. */
// clang-format off
const struct param_def param_table[] = {
	/*
	 * UB resources in vzctl's write-back order (§2.7), which is also its setublimit order
	 * at start (§3.2): NUMFILE (19) comes before DCACHESIZE (18).
	 */
	{ .name = "KMEMSIZE", .option = "kmemsize", .short_option = 'k', UB(0) /* UB_KMEMSIZE */,
	  .unit = PARAM_U_BYTES,
	  .help = "Unswappable kernel memory the VE may use, in bytes.",
	  .xml.libvirt = "memory, currentMemory" },
	{ .name = "LOCKEDPAGES", .option = "lockedpages", .short_option = 'l',
	  UB(1) /* UB_LOCKEDPAGES */, .unit = PARAM_U_PAGES,
	  .help = "Memory the VE may lock with mlock() and similar calls, in pages." },
	{ .name = "PRIVVMPAGES", .option = "privvmpages", UB(2) /* UB_PRIVVMPAGES */,
	  .unit = PARAM_U_PAGES,
	  .help = "Private memory the VE may allocate, in pages; in a classic config it also "
		  "sizes the VE's /proc/meminfo.",
	  .xml.libvirt = "memtune/hard_limit, memtune/soft_limit" },
	{ .name = "SHMPAGES", .option = "shmpages", UB(3) /* UB_SHMPAGES */, .unit = PARAM_U_PAGES,
	  .help = "IPC shared memory of the VE, in pages." },
	{ .name = "NUMPROC", .option = "numproc", .short_option = 'p', UB(5) /* UB_NUMPROC */,
	  .unit = PARAM_U_ITEMS,
	  .help = "Maximum number of processes and threads in the VE." },
	{ .name = "PHYSPAGES", .option = "physpages", .other_options = OPTS("ram"),
	  UB(6) /* UB_PHYSPAGES */, .unit = PARAM_U_PAGES,
	  .help = "Resident memory in pages; a limit other than unlimited makes the config VSwap "
		  "with that much RAM (--ram takes bytes and stores 0:N).",
	  .pending_options = OPTS("ram") },
	{ .name = "VMGUARPAGES", .option = "vmguarpages", UB(7) /* UB_VMGUARPAGES */,
	  .unit = PARAM_U_PAGES,
	  .help = "Guaranteed memory allocation in pages; the kernel uses only the barrier.",
	  .xml.libvirt = "memtune/min_guarantee" },
	{ .name = "OOMGUARPAGES", .option = "oomguarpages", UB(8) /* UB_OOMGUARPAGES */,
	  .unit = PARAM_U_PAGES,
	  .help = "Memory guaranteed against the out-of-memory killer in pages; only the barrier "
		  "is used." },
	{ .name = "NUMTCPSOCK", .option = "numtcpsock", UB(9) /* UB_NUMTCPSOCK */,
	  .unit = PARAM_U_ITEMS,
	  .help = "Maximum number of TCP sockets." },
	{ .name = "NUMFLOCK", .option = "numflock", .short_option = 'f', UB(10) /* UB_NUMFLOCK */,
	  .unit = PARAM_U_ITEMS,
	  .help = "Maximum number of file locks." },
	{ .name = "NUMPTY", .option = "numpty", .short_option = 't', UB(11) /* UB_NUMPTY */,
	  .unit = PARAM_U_ITEMS,
	  .help = "Maximum number of pseudo-terminals." },
	{ .name = "NUMSIGINFO", .option = "numsiginfo", .short_option = 'i',
	  UB(12) /* UB_NUMSIGINFO */, .unit = PARAM_U_ITEMS,
	  .help = "Maximum number of signals queued at once." },
	{ .name = "TCPSNDBUF", .option = "tcpsndbuf", UB(13) /* UB_TCPSNDBUF */,
	  .unit = PARAM_U_BYTES,
	  .help = "Send buffer space of all TCP sockets together, in bytes." },
	{ .name = "TCPRCVBUF", .option = "tcprcvbuf", .short_option = 'b',
	  UB(14) /* UB_TCPRCVBUF */, .unit = PARAM_U_BYTES,
	  .help = "Receive buffer space of all TCP sockets together, in bytes." },
	{ .name = "OTHERSOCKBUF", .option = "othersockbuf", UB(15) /* UB_OTHERSOCKBUF */,
	  .unit = PARAM_U_BYTES,
	  .help = "Buffer space of UNIX, UDP and other non-TCP sockets, in bytes." },
	{ .name = "DGRAMRCVBUF", .option = "dgramrcvbuf", UB(16) /* UB_DGRAMRCVBUF */,
	  .unit = PARAM_U_BYTES,
	  .help = "Receive buffer space of datagram sockets, in bytes." },
	{ .name = "NUMOTHERSOCK", .option = "numothersock", UB(17) /* UB_NUMOTHERSOCK */,
	  .unit = PARAM_U_ITEMS,
	  .help = "Maximum number of non-TCP sockets." },
	{ .name = "NUMFILE", .option = "numfile", .short_option = 'n', UB(19) /* UB_NUMFILE */,
	  .unit = PARAM_U_ITEMS,
	  .help = "Maximum number of open files." },
	{ .name = "DCACHESIZE", .alias = "DCACHE", .option = "dcachesize", .short_option = 'x',
	  UB(18) /* UB_DCACHESIZE */, .unit = PARAM_U_BYTES,
	  .help = "Kernel memory for directory entry and inode caches, in bytes." },
	{ .name = "NUMIPTENT", .alias = "IPTENTRIES", .option = "numiptent", .short_option = 'e',
	  UB(23) /* UB_NUMXTENT */, .unit = PARAM_U_ITEMS,
	  .help = "Maximum number of iptables entries; start raises a value below 16 to 16." },
	/* Validation only (§6.1): vzctl never passes it to setublimit. */
	{ .name = "AVNUMPROC", .option = "avnumproc", .type = PARAM_T_UBC, .unit = PARAM_U_ITEMS,
	  NO_UB, .live = PARAM_LIVE_CONFIG, .applier = PARAM_A_NONE, .flags = PARAM_F_NOT_SENT,
	  .dup = PARAM_DUP_LAST,
	  .help = "Expected average number of processes, used by config validation and never sent "
		  "to the kernel.",
	  .xml.ext = "vz:ubc", .apply = apply_not_sent },
	{ .name = "SWAPPAGES", .option = "swappages", .other_options = OPTS("swap"),
	  UB(24) /* UB_SWAPPAGES */, .unit = PARAM_U_PAGES,
	  .help = "Swap space of a VSwap VE in pages (--swap takes bytes and stores 0:N); EINVAL "
		  "from a kernel without it is only a warning.",
	  .pending_options = OPTS("swap") },
	/*
	 * Not a resource: it scales the PRIVVMPAGES vzctl derives for VSwap configs (§6.6),
	 * which is then sent with setublimit.
	 */
	{ .name = "VM_OVERCOMMIT", .option = "vm_overcommit", .type = PARAM_T_FLOAT,
	  .unit = PARAM_U_NONE, NO_UB, .live = PARAM_LIVE_YES, .applier = PARAM_A_SETUBLIMIT,
	  .flags = PARAM_F_NOT_SENT,
	  .help = "VSwap overcommit factor: an unset PRIVVMPAGES becomes (RAM + swap) times this, "
		  "or unlimited when it is 0 or unset.",
	  XML_PARAM, .apply = apply_vswap_derived },

	/* The other saved keys, in vzctl's config-table order (§2.7). */
	{ .name = "IPTABLES", .option = "iptables", .type = PARAM_T_IPTABLES, NO_UB,
	  .live = PARAM_LIVE_RESTART, .applier = PARAM_A_ENV_CREATE, .flags = PARAM_F_DEPRECATED,
	  .dup = PARAM_DUP_ACCUMULATE,
	  .help = "Deprecated list of iptables modules allowed in the VE; NETFILTER wins when both "
		  "are set.",
	  XML_PARAM, .apply = apply_at_env_create },
	{ .name = "NETFILTER", .option = "netfilter", .type = PARAM_T_NETFILTER, NO_UB,
	  .default_value = "stateless", .live = PARAM_LIVE_RESTART,
	  .applier = PARAM_A_ENV_CREATE, .flags = PARAM_F_VE_ONLY,
	  .dup = PARAM_DUP_LAST,
	  .help = "Netfilter available in the VE: disabled, stateless, stateful or full; vz.conf "
		  "may not set it.",
	  XML_PARAM, .apply = apply_at_env_create },
	{ .name = "CAPABILITY", .option = "capability", .type = PARAM_T_CAPABILITIES, NO_UB,
	  .live = PARAM_LIVE_RESTART, .applier = PARAM_A_CAPSET,
	  .dup = PARAM_DUP_ACCUMULATE,
	  .help = "Capabilities added to or removed from the default set, as name:on or "
		  "name:off.",
	  XML_PARAM, .apply = apply_at_init },
	{ .name = "IP_ADDRESS", .option = "ipadd", .other_options = OPTS("ip", "ipdel"),
	  .type = PARAM_T_IP_LIST, NO_UB, .live = PARAM_LIVE_YES,
	  .applier = PARAM_A_VENET_IP_MAP,
	  .dup = PARAM_DUP_ACCUMULATE,
	  .help = "venet addresses of the VE, each with an optional /prefix; IPv6 ones are "
		  "dropped unless IPV6 is yes.",
	  .xml.libvirt = "devices/interface[@type='ethernet']/ip",
	  .xml.seed = "devices/interface/ipaddress", .apply = apply_ip_address },
	{ .name = "NETDEV", .option = "netdev_add", .other_options = OPTS("netdev_del"),
	  .type = PARAM_T_NETDEV, NO_UB, .live = PARAM_LIVE_YES, .applier = PARAM_A_VE_NETDEV,
	  .dup = PARAM_DUP_ACCUMULATE,
	  .help = "Host network interfaces moved into the VE; names starting with venet, tun, tap "
		  "or lo are refused.",
	  XML_PARAM, .apply = apply_pending, .pending_options = OPTS("netdev_del") },
	{ .name = "HOSTNAME", .option = "hostname", .type = PARAM_T_HOSTNAME, NO_UB,
	  .live = PARAM_LIVE_YES, .applier = PARAM_A_VE_HOSTNAME,
	  .help = "Host name written into the VE's files at every start: labels of letters, "
		  "digits, '-' and '_' separated by dots.",
	  .xml.ext = "vz:hostname", .xml.seed = "hostname", .apply = apply_in_ve_files },
	{ .name = "DESCRIPTION", .option = "description", .type = PARAM_T_STRING, NO_UB,
	  .live = PARAM_LIVE_CONFIG, .applier = PARAM_A_NONE,
	  .help = "Free text kept in the config for people to read.",
	  .xml.libvirt = "description", .apply = apply_stored },
	{ .name = "NAMESERVER", .option = "nameserver", .type = PARAM_T_WORD_LIST, NO_UB,
	  .live = PARAM_LIVE_YES, .applier = PARAM_A_VE_RESOLV,
	  .dup = PARAM_DUP_ACCUMULATE,
	  .help = "DNS servers for the VE's resolv.conf, or inherit to copy the host's; a new list "
		  "replaces the old one.",
	  .xml.ext = "vz:nameserver", .xml.seed = "nameserver", .apply = apply_in_ve_files },
	{ .name = "SEARCHDOMAIN", .option = "searchdomain", .type = PARAM_T_WORD_LIST, NO_UB,
	  .live = PARAM_LIVE_YES, .applier = PARAM_A_VE_RESOLV,
	  .dup = PARAM_DUP_ACCUMULATE,
	  .help = "DNS search domains for the VE's resolv.conf, or inherit to copy the host's.",
	  .xml.ext = "vz:searchdomain", .apply = apply_in_ve_files },
	{ .name = "DEVICES", .option = "devices", .type = PARAM_T_DEVICES, NO_UB,
	  .live = PARAM_LIVE_YES, .applier = PARAM_A_SETDEVPERMS,
	  .dup = PARAM_DUP_ACCUMULATE,
	  .help = "Device access as b|c:MAJOR:MINOR|all:[rwq] or none; loop devices (major 7) are "
		  "refused.",
	  XML_PARAM, .apply = apply_devices },
	{ .name = "DEVNODES", .option = "devnodes", .type = PARAM_T_DEVNODES, NO_UB,
	  .live = PARAM_LIVE_YES, .applier = PARAM_A_SETDEVPERMS,
	  .dup = PARAM_DUP_ACCUMULATE,
	  .help = "Host device nodes to allow and create in the VE, as NAME:[rwq] or NAME:none "
		  "with NAME relative to /dev.",
	  XML_PARAM, .apply = apply_devnodes },
	{ .name = "PCI", .option = "pci_add", .other_options = OPTS("pci_del"),
	  .type = PARAM_T_PCI, NO_UB, .live = PARAM_LIVE_YES, .applier = PARAM_A_PCI_SYSFS,
	  .dup = PARAM_DUP_ACCUMULATE,
	  .help = "PCI devices given to the VE, as [DOMAIN:]BUS:SLOT.FUNC in hexadecimal.",
	  XML_PARAM, .apply = apply_pending, .pending_options = OPTS("pci_del") },
	{ .name = "VE_ROOT", .option = "root", .type = PARAM_T_PATH, NO_UB,
	  .live = PARAM_LIVE_REFUSED, .applier = PARAM_A_SIMFS_MOUNT,
	  .help = "Where the VE's root is mounted; $VEID becomes the VE id and it cannot change "
		  "while the VE runs.",
	  XML_PARAM, .apply = apply_at_mount },
	{ .name = "VE_PRIVATE", .option = "private", .type = PARAM_T_PATH, NO_UB,
	  .live = PARAM_LIVE_REFUSED, .applier = PARAM_A_SIMFS_MOUNT,
	  .help = "Directory holding the VE's files; $VEID becomes the VE id and it cannot change "
		  "while the VE runs.",
	  .xml.libvirt = "devices/filesystem[@type='mount']/source/@dir", XML_PARAM,
	  .apply = apply_at_mount },
	{ .name = "MOUNT_OPTS", .option = "mount_opts", .type = PARAM_T_STRING, NO_UB,
	  .live = PARAM_LIVE_RESTART, .applier = PARAM_A_NONE,
	  .help = "Mount options for ploop images, kept but unused since vzlite runs only simfs.",
	  XML_PARAM, .apply = apply_stored },
	{ .name = "VE_LAYOUT", .option = "layout", .other_options = OPTS("ve_layout", "velayout"),
	  .type = PARAM_T_LAYOUT, NO_UB, .live = PARAM_LIVE_CONFIG, .applier = PARAM_A_NONE,
	  .flags = PARAM_F_CREATE_OPTION,
	  .dup = PARAM_DUP_LAST,
	  .help = "Private area layout, simfs or ploop[:mode]; vzlite handles only simfs and start "
		  "records it when missing.",
	  XML_PARAM, .apply = apply_stored },
	{ .name = "OSTEMPLATE", .option = "ostemplate", .type = PARAM_T_WORD, NO_UB,
	  .live = PARAM_LIVE_CONFIG, .applier = PARAM_A_NONE, .flags = PARAM_F_NEEDS_SAVE,
	  .help = "OS template the VE was created from (DEF_OSTEMPLATE if none was given); it also "
		  "picks the distribution scripts.",
	  .xml.libvirt = "devices/filesystem[@type='template']/source/@name",
	  .xml.seed = "filesystem/template", .apply = apply_stored },
	{ .name = "CPUUNITS", .option = "cpuunits", .type = PARAM_T_UINT, .unit = PARAM_U_WEIGHT,
	  NO_UB, .default_value = "1000", .live = PARAM_LIVE_YES,
	  .applier = PARAM_A_FAIRSCHED_CHWT,
	  .help = "Relative CPU weight 8..500000, 1000 at start when neither CPUUNITS nor "
		  "CPUUWEIGHT is set.",
	  .xml.libvirt = "cputune/shares", .xml.ext = "vz:cpu/@units", .apply = apply_cpuunits },
	{ .name = "CPUUWEIGHT", .option = "cpuweight", .type = PARAM_T_UINT,
	  .unit = PARAM_U_WEIGHT, NO_UB, .live = PARAM_LIVE_YES,
	  .applier = PARAM_A_FAIRSCHED_CHWT,
	  .help = "Raw fair-scheduler weight 1..65535 (key spelled as vzctl does), used only when "
		  "CPUUNITS is unset.",
	  XML_PARAM, .apply = apply_cpuweight },
	{ .name = "CPULIMIT", .option = "cpulimit", .type = PARAM_T_CPULIMIT,
	  .unit = PARAM_U_PERCENT, NO_UB, .default_value = "0", .live = PARAM_LIVE_YES,
	  .applier = PARAM_A_FAIRSCHED_RATE, .flags = PARAM_F_KERNEL_DEFAULT,
	  .help = "CPU cap in percent of one CPU (N% on the command line means percent of the "
		  "whole host), 0 for none.",
	  .xml.ext = "vz:cpu/@limit", .apply = apply_cpulimit },
	{ .name = "CPUS", .option = "cpus", .type = PARAM_T_UINT, .unit = PARAM_U_COUNT, NO_UB,
	  .default_value = "0", .live = PARAM_LIVE_YES, .applier = PARAM_A_FAIRSCHED_VCPUS,
	  .flags = PARAM_F_KERNEL_DEFAULT,
	  .help = "How many CPUs' worth of time the VE may use at once, 0 for all; also passed at "
		  "creation.",
	  .xml.libvirt = "vcpu", .xml.ext = "vz:cpu/@cpus", .apply = apply_cpus },
	{ .name = "CPUMASK", .option = "cpumask", .type = PARAM_T_CPUMASK, NO_UB,
	  .default_value = "all", .live = PARAM_LIVE_YES, .applier = PARAM_A_FAIRSCHED_CPUMASK,
	  .flags = PARAM_F_KERNEL_DEFAULT,
	  .help = "CPUs the VE may run on, as a list such as 0-2,7, all, or auto for the CPUs of "
		  "NODEMASK.",
	  XML_PARAM, .apply = apply_cpumask },
	{ .name = "NODEMASK", .option = "nodemask", .type = PARAM_T_NODEMASK, NO_UB,
	  .default_value = "all", .live = PARAM_LIVE_YES,
	  .applier = PARAM_A_FAIRSCHED_NODEMASK, .flags = PARAM_F_KERNEL_DEFAULT,
	  .help = "NUMA memory nodes the VE may use, as a list or all; the option needs --cpumask "
		  "too.",
	  XML_PARAM, .apply = apply_nodemask },
	{ .name = "ONBOOT", .option = "onboot", .type = PARAM_T_BOOL, NO_UB,
	  .live = PARAM_LIVE_CONFIG, .applier = PARAM_A_NONE,
	  .help = "Whether the host starts the VE when it boots.",
	  .xml.ext = "vz:onboot", .apply = apply_stored },
	{ .name = "ORIGIN_SAMPLE", .type = PARAM_T_WORD, NO_UB, .live = PARAM_LIVE_CONFIG,
	  .applier = PARAM_A_NONE,
	  .help = "Name of the sample profile the config was made from.",
	  .xml.ext = "vz:profile", .xml.seed = "profile", .apply = apply_stored },
	{ .name = "DISABLED", .option = "disabled", .type = PARAM_T_BOOL, NO_UB,
	  .default_value = "no", .live = PARAM_LIVE_CONFIG, .applier = PARAM_A_NONE,
	  .help = "When yes, start refuses the VE unless --force is given.",
	  XML_PARAM, .apply = apply_stored },
	{ .name = "DISK_QUOTA", .option = "diskquota", .type = PARAM_T_BOOL, NO_UB,
	  .default_value = "yes", .live = PARAM_LIVE_RESTART, .applier = PARAM_A_QUOTA_ON,
	  .help = "Whether the VE's private area gets a disk quota; unset behaves as yes.",
	  .xml.ext = "vz:disk/@quota", .apply = apply_at_mount },
	{ .name = "DISKSPACE", .option = "diskspace", .type = PARAM_T_DISK, .unit = PARAM_U_KIB,
	  NO_UB, .live = PARAM_LIVE_YES, .applier = PARAM_A_QUOTA_SETLIMIT,
	  .help = "Disk space soft:hard limit in 1 KiB blocks (a suffixed number is bytes), needed "
		  "to set up the quota.",
	  .xml.libvirt = "devices/filesystem/space_soft_limit, space_hard_limit",
	  .xml.ext = "vz:disk/@space-soft, @space-hard",
	  .xml.seed = "filesystem/quota[@level='first']", .apply = apply_disk_limits },
	{ .name = "DISKINODES", .option = "diskinodes", .type = PARAM_T_DISK,
	  .unit = PARAM_U_INODES, NO_UB, .live = PARAM_LIVE_YES,
	  .applier = PARAM_A_QUOTA_SETLIMIT,
	  .help = "Soft:hard limit on the number of inodes, needed to set up the quota.",
	  .xml.ext = "vz:disk/@inodes-soft, @inodes-hard", .apply = apply_disk_limits },
	{ .name = "QUOTATIME", .option = "quotatime", .type = PARAM_T_UINT,
	  .unit = PARAM_U_SECONDS, NO_UB, .default_value = "259200", .live = PARAM_LIVE_YES,
	  .applier = PARAM_A_QUOTA_SETLIMIT,
	  .help = "Seconds a soft disk limit may be exceeded, 259200 (three days) when unset.",
	  .xml.ext = "vz:disk/@quotatime", .apply = apply_disk_limits },
	{ .name = "QUOTAUGIDLIMIT", .option = "quotaugidlimit", .type = PARAM_T_UINT,
	  .unit = PARAM_U_COUNT, NO_UB, .default_value = "0", .live = PARAM_LIVE_YES,
	  .applier = PARAM_A_QUOTA_UGID,
	  .help = "Number of per-user and per-group quota entries, 0 for none; switching between 0 "
		  "and non-zero needs a restart.",
	  .xml.ext = "vz:disk/@ugidlimit", .apply = apply_pending },
	{ .name = "MEMINFO", .option = "meminfo", .type = PARAM_T_MEMINFO, NO_UB,
	  .default_value = "privvmpages:1", .live = PARAM_LIVE_YES,
	  .applier = PARAM_A_VE_MEMINFO,
	  .dup = PARAM_DUP_LAST,
	  .help = "What /proc/meminfo shows in a classic (non-VSwap) VE: none, pages:N or "
		  "privvmpages:N.",
	  XML_PARAM, .apply = apply_meminfo },
	{ .name = "NETIF", .option = "netif_add",
	  .other_options = OPTS("netif_del", "ifname", "mac", "host_ifname", "host_mac", "bridge",
				"mac_filter"),
	  .type = PARAM_T_NETIF, NO_UB, .live = PARAM_LIVE_YES, .applier = PARAM_A_VETH_HWADDR,
	  .help = "veth devices of the VE, separated by ';', each as ifname=,mac=,host_ifname=,"
		  "host_mac=,bridge=,mac_filter= fields.",
	  .xml.libvirt = "devices/interface[@type='bridge']", .xml.ext = "vz:veth",
	  .apply = apply_netif },
	{ .name = "NAME", .option = "name", .type = PARAM_T_NAME, NO_UB, .live = PARAM_LIVE_YES,
	  .applier = PARAM_A_NAME_LINK, .flags = PARAM_F_NEEDS_SAVE,
	  .help = "Name usable instead of the VE id, made of letters, digits, spaces and -+_.",
	  XML_PARAM, .apply = apply_pending },
	{ .name = "FEATURES", .option = "features", .type = PARAM_T_FEATURES, NO_UB,
	  .default_value = "sysfs:on", .live = PARAM_LIVE_RESTART,
	  .applier = PARAM_A_ENV_CREATE,
	  .dup = PARAM_DUP_ACCUMULATE,
	  .help = "Kernel features sysfs, nfs, sit, ipip, ppp, ipgre, bridge and nfsd as name:on "
		  "or name:off, with sysfs on unless turned off.",
	  XML_PARAM, .apply = apply_at_env_create },
	{ .name = "IOPRIO", .option = "ioprio", .type = PARAM_T_INT, NO_UB,
	  .default_value = "4", .live = PARAM_LIVE_YES, .applier = PARAM_A_IOPRIO_SET,
	  .flags = PARAM_F_KERNEL_DEFAULT,
	  .dup = PARAM_DUP_LAST,
	  .help = "Disk I/O priority 0..7, higher gets more; the kernel starts every VE at 4.",
	  XML_PARAM, .apply = apply_ioprio },
	{ .name = "IOLIMIT", .option = "iolimit", .type = PARAM_T_IOLIMIT,
	  .unit = PARAM_U_BYTES_PER_SEC, NO_UB, .default_value = "0", .live = PARAM_LIVE_YES,
	  .applier = PARAM_A_SET_IOLIMIT, .flags = PARAM_F_KERNEL_DEFAULT,
	  .dup = PARAM_DUP_LAST,
	  .help = "Disk bandwidth limit, bytes/s in the config and MB/s as an option unless "
		  "suffixed, 0 for none, at most 2^31-1.",
	  XML_PARAM, .apply = apply_iolimit },
	{ .name = "IOPSLIMIT", .option = "iopslimit", .type = PARAM_T_INT,
	  .unit = PARAM_U_OPS_PER_SEC, NO_UB, .default_value = "0", .live = PARAM_LIVE_YES,
	  .applier = PARAM_A_SET_IOPSLIMIT, .flags = PARAM_F_KERNEL_DEFAULT,
	  .dup = PARAM_DUP_LAST,
	  .help = "Disk operations per second the VE may issue, 0 for no limit.",
	  XML_PARAM, .apply = apply_iopslimit },
	{ .name = "BOOTORDER", .option = "bootorder", .type = PARAM_T_UINT, NO_UB,
	  .live = PARAM_LIVE_CONFIG, .applier = PARAM_A_NONE,
	  .help = "Boot priority: VEs with higher numbers start first at host boot, unset ones "
		  "last.",
	  XML_PARAM, .apply = apply_stored },
	{ .name = "STOP_TIMEOUT", .option = "stop-timeout", .type = PARAM_T_INT,
	  .unit = PARAM_U_SECONDS, NO_UB, .default_value = "120", .live = PARAM_LIVE_CONFIG,
	  .applier = PARAM_A_NONE, .flags = PARAM_F_NEEDS_SAVE,
	  .help = "Seconds stop waits for the VE to halt before killing it, 0 or unset for 120.",
	  XML_PARAM, .apply = apply_stored },

	/* Never written back (§2.7): create-time and informational keys. */
	{ .name = "TEMPLATE", .type = PARAM_T_HOST_PATH, NO_UB, .live = PARAM_LIVE_CONFIG,
	  .applier = PARAM_A_NONE, .flags = PARAM_F_NOT_SAVED,
	  .help = "Template directory whose cache/ holds the OS template archives; vz.conf ships "
		  "/vz/template.",
	  .xml.none = "a host directory from vz.conf, never written to a VE config",
	  .apply = apply_stored },
	{ .name = "DEF_OSTEMPLATE", .type = PARAM_T_WORD, NO_UB, .live = PARAM_LIVE_CONFIG,
	  .applier = PARAM_A_NONE, .flags = PARAM_F_NOT_SAVED,
	  .help = "OS template create uses when none is given; vz.conf ships centos-6-x86.",
	  .xml.none = "vz.conf's default for create, never written to a VE config",
	  .apply = apply_stored },
	{ .name = "CONFIGFILE", .option = "config", .type = PARAM_T_WORD, NO_UB,
	  .live = PARAM_LIVE_CONFIG, .applier = PARAM_A_NONE,
	  .flags = PARAM_F_NOT_SAVED | PARAM_F_CREATE_OPTION,
	  .help = "Sample profile ve-NAME.conf-sample that create applies by default; vz.conf "
		  "ships vswap-256m.",
	  .xml.none = "vz.conf's default profile; a document names its profile in "
		     "<vz:profile> or <profile> (ORIGIN_SAMPLE)",
	  .apply = apply_stored },
	{ .name = "DUMPDIR", .type = PARAM_T_HOST_PATH, NO_UB, .default_value = "/vz/dump",
	  .live = PARAM_LIVE_CONFIG, .applier = PARAM_A_NONE, .flags = PARAM_F_NOT_SAVED,
	  .help = "Directory of checkpoint dumps; a Dump.<VEID> there makes start restore instead "
		  "of boot.",
	  .xml.none = "a host directory from vz.conf, never written to a VE config",
	  .apply = apply_stored },
	{ .name = "VEID", .type = PARAM_T_UINT, NO_UB, .live = PARAM_LIVE_CONFIG,
	  .applier = PARAM_A_NONE, .flags = PARAM_F_NOT_SAVED,
	  .dup = PARAM_DUP_LAST,
	  .help = "VE id recorded in the config for information only.",
	  .xml.libvirt = "name", .xml.seed = "name", .apply = apply_stored },
	{ .name = "LOCAL_UID", .option = "local_uid", .type = PARAM_T_UINT, NO_UB,
	  .live = PARAM_LIVE_CONFIG, .applier = PARAM_A_NONE,
	  .flags = PARAM_F_NOT_SAVED | PARAM_F_IGNORED | PARAM_F_CREATE_OPTION,
	  .help = "First host uid of a user namespace on upstream kernels; ignored on OpenVZ 6.",
	  .xml.none = "ignored on OpenVZ 6 and never written back", .apply = apply_stored },
	{ .name = "LOCAL_GID", .option = "local_gid", .type = PARAM_T_UINT, NO_UB,
	  .live = PARAM_LIVE_CONFIG, .applier = PARAM_A_NONE,
	  .flags = PARAM_F_NOT_SAVED | PARAM_F_IGNORED | PARAM_F_CREATE_OPTION,
	  .help = "First host gid of a user namespace on upstream kernels; ignored on OpenVZ 6.",
	  .xml.none = "ignored on OpenVZ 6 and never written back", .apply = apply_stored },
	{ .name = "VETH", .type = PARAM_T_STRING, NO_UB, .live = PARAM_LIVE_CONFIG,
	  .applier = PARAM_A_NONE,
	  .flags = PARAM_F_NOT_SAVED | PARAM_F_DEPRECATED | PARAM_F_IGNORED,
	  .help = "Old form of veth settings, ignored with a warning; use NETIF.",
	  .xml.none = "old form of NETIF, ignored and never written back",
	  .apply = apply_stored },
	{ .name = "USERPW", .option = "userpasswd", .type = PARAM_T_USERPW, NO_UB,
	  .live = PARAM_LIVE_OPTION, .applier = PARAM_A_VE_PASSWD,
	  .flags = PARAM_F_NOT_SAVED, .set_pending = true,
	  .help = "Sets user:password inside the VE, briefly starting a stopped VE; never saved.",
	  .xml.none = "a password is never stored, so no document carries it",
	  .apply = apply_in_ve_files },

	/* vz.conf only (§1.1, §2.2 item 6). */
	{ .name = "IPV6", .type = PARAM_T_BOOL, GLOBAL_KEY, .default_value = "no",
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED,
	  .help = "When yes, IPv6 addresses may be given to VEs; otherwise they are dropped with a "
		  "warning." },
	{ .name = "LOCKDIR", .type = PARAM_T_HOST_PATH, GLOBAL_KEY,
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED,
	  .help = "Directory of the per-VE lock files, created when missing; without it nothing "
		  "can be locked." },
	{ .name = "LOGGING", .type = PARAM_T_BOOL, GLOBAL_KEY, .default_value = "yes",
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED,
	  .help = "Set to no to stop writing LOGFILE." },
	{ .name = "LOGFILE", .type = PARAM_T_HOST_PATH, GLOBAL_KEY,
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED,
	  .help = "File the log is appended to; vz.conf ships /var/log/vzctl.log." },
	{ .name = "LOG_LEVEL", .type = PARAM_T_INT, GLOBAL_KEY, .default_value = "0",
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED,
	  .dup = PARAM_DUP_LAST,
	  .help = "Highest message level written to LOGFILE, -1 for errors only." },
	{ .name = "VERBOSE", .type = PARAM_T_INT, GLOBAL_KEY, .default_value = "0",
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED,
	  .help = "Console message level when no --verbose is given, -1 for errors only." },
	/* vzlite's own: vzctl hard-codes the directory (§1.7). */
	{ .name = "VZQUOTA_DIR", .type = PARAM_T_HOST_PATH, GLOBAL_KEY,
	  .default_value = "/var/vzquota", .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED,
	  .help = "Directory of the quota.<VEID> files, a vzlite setting that vzctl does not "
		  "read." },
	{ .name = "VEIP_DIR", .type = PARAM_T_HOST_PATH, GLOBAL_KEY,
	  .default_value = "/var/lib/vzctl/veip", .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED,
	  .help = "Directory of the <VEID> files listing the addresses whose host routes "
		  "and proxy entries are set up, a vzlite setting (vzctl hard-codes it)." },
	/* Read by the init and network scripts, not by vzctl. */
	{ .name = "VIRTUOZZO", .type = PARAM_T_BOOL, GLOBAL_KEY, .default_value = "no",
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED | PARAM_F_IGNORED,
	  .help = "The init script does nothing unless this is yes." },
	{ .name = "VE0CPUUNITS", .type = PARAM_T_UINT, .unit = PARAM_U_WEIGHT, NO_UB,
	  .live = PARAM_LIVE_GLOBAL, .applier = PARAM_A_FAIRSCHED_CHWT,
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED | PARAM_F_IGNORED,
	  .help = "CPU weight of the host itself, 8..500000, set at boot on the host's scheduler "
		  "node.",
	  .xml.none = "the host's own CPU weight, not a VE's", .apply = apply_host_setting },
	{ .name = "VE_STOP_MODE", .type = PARAM_T_STRING, GLOBAL_KEY, .default_value = "suspend",
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED | PARAM_F_IGNORED,
	  .help = "What host shutdown does to running VEs: suspend (checkpoint first) or stop." },
	{ .name = "VZFASTBOOT", .type = PARAM_T_BOOL, GLOBAL_KEY, .default_value = "no",
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED | PARAM_F_IGNORED,
	  .help = "At boot, start VEs with an unclean quota without rescanning, then restart "
		  "them." },
	{ .name = "MODULES_DISABLED", .type = PARAM_T_BOOL, GLOBAL_KEY, .default_value = "no",
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED | PARAM_F_IGNORED,
	  .help = "When yes, the init script loads no kernel modules." },
	{ .name = "VE_ROUTE_SRC_DEV", .type = PARAM_T_STRING, GLOBAL_KEY,
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED,
	  .help = "Host device whose first non-loopback address is the source of routes to VE "
		  "addresses." },
	{ .name = "NEIGHBOUR_DEVS", .type = PARAM_T_STRING, GLOBAL_KEY, .default_value = "all",
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED,
	  .help = "Host interfaces for proxy ARP and ARP announcements: all, detect, or "
		  "list:dev1 dev2." },
	{ .name = "SKIP_ARPDETECT", .type = PARAM_T_BOOL, GLOBAL_KEY, .default_value = "no",
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED,
	  .help = "When yes, VE addresses are not probed with ARP for duplicates." },
	{ .name = "ERROR_ON_ARPFAIL", .type = PARAM_T_BOOL, GLOBAL_KEY, .default_value = "no",
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED,
	  .help = "When yes, an address the ARP probe finds in use fails the start." },
	{ .name = "FORCE_ROUTE", .type = PARAM_T_BOOL, GLOBAL_KEY, .default_value = "no",
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED,
	  .help = "When yes, an existing host route to a VE address is replaced instead of "
		  "failing." },
	{ .name = "IPTABLES_MODULES", .type = PARAM_T_WORD_LIST, GLOBAL_KEY,
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED | PARAM_F_IGNORED,
	  .help = "iptables modules the init script loads before the OpenVZ ones." },
	{ .name = "IP6TABLES", .type = PARAM_T_STRING, GLOBAL_KEY,
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED | PARAM_F_IGNORED |
		   PARAM_F_DEPRECATED,
	  .help = "Obsolete IPv6 module list, accepted and ignored." },
	{ .name = "VZWDOG", .type = PARAM_T_BOOL, GLOBAL_KEY, .default_value = "no",
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED | PARAM_F_IGNORED,
	  .help = "Whether the init script loads the vzwdog watchdog module." },
	{ .name = "CONFIG_CUSTOMIZED", .type = PARAM_T_STRING, GLOBAL_KEY,
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED | PARAM_F_IGNORED |
		   PARAM_F_DEPRECATED,
	  .help = "Obsolete marker, accepted and ignored." },
	{ .name = "SKIP_SYSCTL_SETUP", .type = PARAM_T_BOOL, GLOBAL_KEY,
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED | PARAM_F_IGNORED,
	  .help = "Added by the init script once it has tuned the host's sysctls, so it does not "
		  "do it again." },
	{ .name = "VE_PARALLEL", .type = PARAM_T_UINT, .unit = PARAM_U_COUNT, GLOBAL_KEY,
	  .flags = PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED | PARAM_F_IGNORED,
	  .help = "How many VEs the init script starts or stops at once, 4 per CPU when unset." },
};
// clang-format on

const size_t param_table_len = ELEMENTSOF(param_table);

const struct param_def *param_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < param_table_len; i++) {
		const struct param_def *p = &param_table[i];

		/* the first byte before strcmp: vzlite list looks keys up for 1,000s of VEs */
		if ((p->name[0] == name[0] && strcmp(p->name, name) == 0) ||
		    (p->alias && p->alias[0] == name[0] && strcmp(p->alias, name) == 0))
			return p;
	}
	return NULL;
}

const struct param_def *param_find_option(const char *option)
{
	if (!option || !option[0])
		return NULL;
	for (size_t i = 0; i < param_table_len; i++) {
		const struct param_def *p = &param_table[i];

		/* No vzctl long option is one character long, so "k" can only mean -k. */
		if (!option[1]) {
			if (p->short_option == option[0])
				return p;
			continue;
		}
		if (p->option && strcmp(p->option, option) == 0)
			return p;
		for (const char *const *o = p->other_options; o && *o; o++)
			if (strcmp(*o, option) == 0)
				return p;
	}
	return NULL;
}

bool param_xml_has_element(const struct param_def *p)
{
	if (p->xml.ext)
		return strcmp(p->xml.ext, PARAM_XML_EXT_PARAM) != 0;
	return p->xml.libvirt || p->xml.seed;
}

const struct param_def *param_find_xml_ext(const char *ext)
{
	for (size_t i = 0; ext && i < param_table_len; i++)
		if (param_table[i].xml.ext && strcmp(param_table[i].xml.ext, ext) == 0)
			return &param_table[i];
	return NULL;
}

/*
 * Options of `set` that act instead of changing one parameter (vzctl-behaviour.md §3.6):
 * --reset_ub re-applies the config's UB values, --applyconfig merges a profile, --setmode
 * says whether to restart. They belong to no row; `set` handles --reset_ub and --setmode
 * itself (--setmode restart is not implemented yet); --applyconfig is not implemented yet.
 */
static const char *const set_action_options_pending[] = { "applyconfig", NULL };

bool param_set_action_pending(const char *option)
{
	for (const char *const *o = set_action_options_pending; *o; o++)
		if (strcmp(*o, option) == 0)
			return true;
	return false;
}

bool param_option_pending(const struct param_def *p, const char *option)
{
	if (p->set_pending)
		return true;
	for (const char *const *o = p->pending_options; o && *o; o++)
		if (strcmp(*o, option) == 0)
			return true;
	return false;
}

static const char *const type_names[_PARAM_T_MAX] = {
	[PARAM_T_UBC] = "barrier:limit",
	[PARAM_T_DISK] = "soft:hard",
	[PARAM_T_UINT] = "unsigned",
	[PARAM_T_INT] = "integer",
	[PARAM_T_FLOAT] = "float",
	[PARAM_T_BOOL] = "yes|no",
	[PARAM_T_STRING] = "string",
	[PARAM_T_WORD] = "word",
	[PARAM_T_PATH] = "path($VEID)",
	[PARAM_T_HOST_PATH] = "path",
	[PARAM_T_NAME] = "name",
	[PARAM_T_HOSTNAME] = "hostname",
	[PARAM_T_LAYOUT] = "layout",
	[PARAM_T_IP_LIST] = "ip-list",
	[PARAM_T_WORD_LIST] = "word-list",
	[PARAM_T_NETDEV] = "netdev-list",
	[PARAM_T_NETIF] = "netif",
	[PARAM_T_CPULIMIT] = "cpulimit",
	[PARAM_T_CPUMASK] = "cpumask",
	[PARAM_T_NODEMASK] = "nodemask",
	[PARAM_T_CAPABILITIES] = "capabilities",
	[PARAM_T_FEATURES] = "features",
	[PARAM_T_NETFILTER] = "netfilter",
	[PARAM_T_IPTABLES] = "iptables",
	[PARAM_T_DEVICES] = "devices",
	[PARAM_T_DEVNODES] = "devnodes",
	[PARAM_T_PCI] = "pci-list",
	[PARAM_T_MEMINFO] = "meminfo",
	[PARAM_T_IOLIMIT] = "iolimit",
	[PARAM_T_USERPW] = "user:password",
};

static const char *const unit_names[_PARAM_U_MAX] = {
	[PARAM_U_NONE] = "none",
	[PARAM_U_BYTES] = "bytes",
	[PARAM_U_PAGES] = "pages",
	[PARAM_U_ITEMS] = "items",
	[PARAM_U_KIB] = "KiB",
	[PARAM_U_INODES] = "inodes",
	[PARAM_U_SECONDS] = "seconds",
	[PARAM_U_PERCENT] = "percent",
	[PARAM_U_BYTES_PER_SEC] = "bytes/s",
	[PARAM_U_OPS_PER_SEC] = "ops/s",
	[PARAM_U_WEIGHT] = "weight",
	[PARAM_U_COUNT] = "count",
};

static const char *const live_names[_PARAM_LIVE_MAX] = {
	[PARAM_LIVE_YES] = "live",           [PARAM_LIVE_RESTART] = "restart",
	[PARAM_LIVE_CONFIG] = "config",      [PARAM_LIVE_REFUSED] = "refused-running",
	[PARAM_LIVE_OPTION] = "option-only", [PARAM_LIVE_GLOBAL] = "global",
};

/* Kernel spellings: kernel-abi.md §3-§9 and vzctl-behaviour.md Appendix A. */
static const char *const applier_names[_PARAM_A_MAX] = {
	[PARAM_A_NONE] = "none",
	[PARAM_A_SETUBLIMIT] = "setublimit",
	[PARAM_A_FAIRSCHED_CHWT] = "fairsched_chwt",
	[PARAM_A_FAIRSCHED_RATE] = "fairsched_rate",
	[PARAM_A_FAIRSCHED_VCPUS] = "fairsched_vcpus",
	[PARAM_A_FAIRSCHED_CPUMASK] = "fairsched_cpumask",
	[PARAM_A_FAIRSCHED_NODEMASK] = "fairsched_nodemask",
	[PARAM_A_VENET_IP_MAP] = "VENETCTL_VE_IP_MAP",
	[PARAM_A_SETDEVPERMS] = "VZCTL_SETDEVPERMS",
	[PARAM_A_VE_NETDEV] = "VZCTL_VE_NETDEV",
	[PARAM_A_VE_MEMINFO] = "VZCTL_VE_MEMINFO",
	[PARAM_A_VETH_HWADDR] = "VETHCTL_VE_HWADDR",
	[PARAM_A_QUOTA_SETLIMIT] = "VZCTL_QUOTA_NEW_CTL(VZ_DQ_SETLIMIT)",
	[PARAM_A_QUOTA_ON] = "VZCTL_QUOTA_NEW_CTL(VZ_DQ_ON)",
	[PARAM_A_QUOTA_UGID] = "VZCTL_QUOTA_UGID_CTL(VZ_DQ_UGID_SETCONFIG)",
	[PARAM_A_IOPRIO_SET] = "ioprio_set(IOPRIO_WHO_UBC)",
	[PARAM_A_SET_IOLIMIT] = "VZCTL_SET_IOLIMIT",
	[PARAM_A_SET_IOPSLIMIT] = "VZCTL_SET_IOPSLIMIT",
	[PARAM_A_ENV_CREATE] = "VZCTL_ENV_CREATE_DATA",
	[PARAM_A_CAPSET] = "prctl(PR_CAPBSET_DROP)+capset",
	[PARAM_A_SIMFS_MOUNT] = "mount(simfs)",
	[PARAM_A_VE_HOSTNAME] = "in-VE hostname files",
	[PARAM_A_VE_RESOLV] = "in-VE /etc/resolv.conf",
	[PARAM_A_VE_PASSWD] = "in-VE /etc/shadow",
	[PARAM_A_PCI_SYSFS] = "sysfs ve_device_add",
	[PARAM_A_NAME_LINK] = "/etc/vz/names symlink",
};

/* Enum values are compared as unsigned so that a negative one is out of range too. */
const char *param_type_name(enum param_type type)
{
	return (unsigned)type < ELEMENTSOF(type_names) ? type_names[type] : NULL;
}

const char *param_unit_name(enum param_unit unit)
{
	return (unsigned)unit < ELEMENTSOF(unit_names) ? unit_names[unit] : NULL;
}

const char *param_live_name(enum param_live live)
{
	return (unsigned)live < ELEMENTSOF(live_names) ? live_names[live] : NULL;
}

const char *param_applier_name(enum param_applier applier)
{
	return (unsigned)applier < ELEMENTSOF(applier_names) ? applier_names[applier] : NULL;
}
