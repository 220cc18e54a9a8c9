#!/usr/bin/env python3
"""Writes hw.v: a hand-written 784 x 256 SC layer, the yardstick for the Verilator speed of the
generated RTL (docs/results.md). Each neuron has 4 constant weight-level masks (levels -2, -1, +1, +2;
a random fifth of the synapses are 0), counts $countones(x & mask & level bit) into an up/down
accumulator every cycle; a testbench drives the 784 input bits and the 4 level bits from xorshift64.
Build and time it:
  python3 docs/bench/handwritten-layer.py > /tmp/hw.v
  verilator --binary -j 2 -O3 --x-assign fast --x-initial fast -Wno-WIDTH -Wno-fatal --top-module tb /tmp/hw.v -CFLAGS -O2 --Mdir /tmp/hw_obj
  /usr/bin/time -f "user=%U" /tmp/hw_obj/Vtb +cycles=20000
synapse-bit-ops per CPU second = 784 * 256 * cycles / user seconds."""
import random
r = random.Random(7)
L = []
L.append("// hand-written 784 x 256 SC layer: constant masks per weight level, $countones, up/down accumulators")
L.append("module hw(input wire clk, input wire [783:0] x, input wire [3:0] b, output wire [12:0] out);")
L.append("  reg [12:0] acc [0:255];")
L.append("  genvar j;")
L.append("  generate for (j = 0; j < 256; j = j + 1) begin : n")
L.append("    wire [783:0] m0, m1, m2, m3;")
L.append("    mrom #(.J(j)) rom(.m0(m0), .m1(m1), .m2(m2), .m3(m3));")
L.append("    always @(posedge clk) acc[j] <= acc[j] + 13'($countones(x & m2 & {784{b[2]}})) + 13'($countones(x & m3 & {784{b[3]}}))")
L.append("                                 - 13'($countones(x & m0 & {784{b[0]}})) - 13'($countones(x & m1 & {784{b[1]}}));")
L.append("  end endgenerate")
L.append("  reg [12:0] s; integer i; always @* begin s = 0; for (i = 0; i < 256; i = i + 1) s = s ^ acc[i]; end")
L.append("  assign out = s;")
L.append("endmodule")
L.append("module mrom #(parameter J = 0) (output wire [783:0] m0, m1, m2, m3);")
L.append("  reg [783:0] a0, a1, a2, a3;")
L.append("  always @* case (J)")
for j in range(256):
    ms = [0, 0, 0, 0]
    for i in range(784):
        v = r.randrange(5)
        if v < 4:
            ms[v] |= 1 << i
    L.append("    %d: begin a0 = 784'h%x; a1 = 784'h%x; a2 = 784'h%x; a3 = 784'h%x; end" % (j, ms[0], ms[1], ms[2], ms[3]))
L.append("    default: begin a0 = 0; a1 = 0; a2 = 0; a3 = 0; end")
L.append("  endcase")
L.append("  assign m0 = a0; assign m1 = a1; assign m2 = a2; assign m3 = a3;")
L.append("endmodule")
L.append("""module tb;
  reg clk = 0; reg [783:0] x; reg [63:0] s [0:12]; reg [3:0] b; integer k, c, cycles; wire [12:0] out;
  hw dut(.clk(clk), .x(x), .b(b), .out(out));
  initial begin
    if (!$value$plusargs("cycles=%d", cycles)) cycles = 100000;
    for (k = 0; k < 13; k = k + 1) s[k] = 64'h9E3779B97F4A7C15 * (k + 1);
    for (c = 0; c < cycles; c = c + 1) begin
      for (k = 0; k < 13; k = k + 1) begin s[k] = s[k] ^ (s[k] << 13); s[k] = s[k] ^ (s[k] >> 7); s[k] = s[k] ^ (s[k] << 17); end
      for (k = 0; k < 12; k = k + 1) x[k*64 +: 64] = s[k]; x[783:768] = s[12][15:0];
      b = s[12][63:60];
      clk = 1; #1; clk = 0; #1;
    end
    $display("out=%0d", out); $finish;
  end
endmodule""")
print("\n".join(L))
