// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The entry points Wireshark 4.0 looks up in an epan plugin: the version
 * it was built for, and plugin_register(), which hands over the
 * dissector's registration functions (packet-pc5sec.c).
 */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/proto.h>

void proto_register_pc5sec(void);
void proto_reg_handoff_pc5sec(void);

#ifndef PC5SEC_PLUGIN_VERSION
#define PC5SEC_PLUGIN_VERSION "0.1.0"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = PC5SEC_PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void plugin_register(void)
{
	static proto_plugin plug;

	plug.register_protoinfo = proto_register_pc5sec;
	plug.register_handoff = proto_reg_handoff_pc5sec;
	proto_register_plugin(&plug);
}
