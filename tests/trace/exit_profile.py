# gdb script for tests/trace/exit-profile: one child exit, instruction by instruction.
# Reads HV_BASE (where the loader put hv.elf), HV_ELF, HV_VMRUN and HV_AFTER (offsets of
# svm_vmrun's VMRUN and the next instruction), HV_CODE (the hypercall code to catch) and
# HV_OUT from the environment; writes per-function counts and the sequence.
import collections
import os
import gdb

base = int(os.environ["HV_BASE"], 16)
elf = os.environ["HV_ELF"]
code = int(os.environ["HV_CODE"], 16)
gdb.execute("set pagination off")
gdb.execute("add-symbol-file %s -o 0x%x" % (elf, base), to_string=True)


# The VMRUN in svm_vmrun and the instruction after it (the exit resumes there), from objdump:
# the image is not in memory until the loader has run.
vmrun = base + int(os.environ["HV_VMRUN"], 16)
after = base + int(os.environ["HV_AFTER"], 16)
gdb.execute("break hypercall_lookup if $rdi == 0x%x" % code, to_string=True)
gdb.execute("continue", to_string=True)
gdb.execute("delete", to_string=True)
gdb.execute("break *0x%x" % after, to_string=True)
for attempt in range(16):
    gdb.execute("continue", to_string=True)
    counts = collections.Counter()
    seq = []
    while True:
        pc = int(gdb.parse_and_eval("$pc")) & (2**64 - 1)
        if pc == vmrun or sum(counts.values()) > 20000:
            break
        name = gdb.execute("info symbol 0x%x" % pc, to_string=True).split(" in section")[0]
        name = name.split(" + ")[0].strip()
        counts[name] += 1
        if not seq or seq[-1][0] != name:
            seq.append([name, 0])
        seq[-1][1] += 1
        gdb.execute("stepi", to_string=True)
    if counts["hypercall_lookup"]:  # the exit was the hypercall, not a timer or other event
        break
with open(os.environ["HV_OUT"], "w") as f:
    f.write("%d hypervisor instructions from #VMEXIT to the next VMRUN\n\n" % sum(counts.values()))
    for name, n in counts.most_common():
        f.write("%6d  %s\n" % (n, name))
    f.write("\nin order:\n")
    for name, n in seq:
        f.write("%6d  %s\n" % (n, name))
gdb.execute("kill")
