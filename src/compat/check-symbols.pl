#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-only
#
# check-symbols.pl ROOT DATAFILE - every kernel name newer than v3.10 that
# the sources under ROOT/src use is covered (scripts/check-static.sh,
# case compat-symbols).  DATAFILE (src/compat/symbols-since.txt) lists the
# names, the release that introduced each and its guard; see its header.
# Scans ROOT/src/**/*.[ch] except src/compat/{probes,selftest,gen}, with
# comments and string literals blanked, tracking #if/#ifdef/#else blocks.
# A use of NAME fails when
#   - it sits in a compat fallback (a compat header block where some probe
#     is false) and NAME is newer than v3.10, unless NAME itself is
#     provided in that block: fallbacks are written from what v3.10 has;
#   - it is outside any block where NAME's guard is true, and no compat
#     header defines NAME where that guard is false (no fallback), or NAME
#     has no probe at all ("-"), or is a kernel macro not tested by #ifdef.
# "req" names pass but are listed: kernels without them are not served.
# Prints one line per failure; exit 1 when there is one.
use strict;
use warnings;
my ($root, $data) = @ARGV;
my (%since, %guard);
$data = "$root/$data" unless $data =~ m{^/};
open(my $dfh, '<', $data) or die "cannot read $data\n";
while (<$dfh>) {
	next if /^\s*(#|$)/;
	my ($n, $v, $g) = map { s/^\s+|\s+$//gr } (split /\|/, $_, 4)[0 .. 2];
	die "$data:$.: bad line\n" unless defined $g && $v =~ /^(\d+)\.(\d+)$/;
	next unless $1 > 3 || ($1 == 3 && $2 > 10);
	$since{$n} = $v;
	$guard{$n} = [split /,/, $g];
}
close $dfh;

chdir $root or die "no $root\n";
my @files = sort grep { !m{^src/compat/(probes|selftest|gen)/} }
	split /\n/, `find src -type f \\( -name '*.c' -o -name '*.h' \\) | sed 's|^\\./||'`;
my @compat = grep { m{^src/compat/compat[^/]*\.h$} || m{^src/[^/]+/[^/]*_compat\.h$} } @files;
my %is_compat = map { $_ => 1 } @compat;

# Logical lines of a file, comments and string literals blanked:
# list of [line number, text].
sub logical_lines {
	my ($f) = @_;
	open(my $fh, '<', $f) or die "cannot read $f\n";
	local $/;
	my $t = <$fh>;
	close $fh;
	$t =~ s{/\*(.*?)\*/}{" " . ("\n" x ($1 =~ tr/\n//))}gse;
	$t =~ s{//[^\n]*}{}g;
	$t =~ s{"(?:\\.|[^"\\\n])*"}{""}g;
	$t =~ s{'(?:\\.|[^'\\\n])*'}{''}g;
	my @out;
	my $n = 0;
	my ($cur, $start);
	for my $l (split /\n/, $t, -1) {
		$n++;
		if (defined $cur) { $cur .= " " . $l; } else { $cur = $l; $start = $n; }
		if ($cur =~ s/\\\s*$//) { next; }
		push @out, [$start, $cur];
		undef $cur;
	}
	push @out, [$start, $cur] if defined $cur;
	return @out;
}

sub parse_cond {	# expression -> (\%pos, \%neg)
	my ($e) = @_;
	my (%p, %n);
	while ($e =~ /(!\s*)?defined\s*\(?\s*(\w+)/g) {
		if ($1) { $n{$2} = 1 } else { $p{$2} = 1 }
	}
	(my $rest = $e) =~ s/(!\s*)?defined\s*\(?\s*\w+\s*\)?//g;
	while ($rest =~ /(!\s*)?\b(HAVE_\w+)/g) {
		if ($1) { $n{$2} = 1 } else { $p{$2} = 1 }
	}
	return (\%p, \%n);
}

# Walk a file; calls $cb->(line, text, \%pos, \%neg) for each non-directive
# logical line and for #define/#include lines.
sub walk {
	my ($f, $cb) = @_;
	my @stack;
	for my $ll (logical_lines($f)) {
		my ($ln, $t) = @$ll;
		if ($t =~ /^\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b(.*)$/) {
			my ($d, $e) = ($1, $2);
			if ($d eq 'ifdef') { push @stack, [{ map { $_ => 1 } $e =~ /(\w+)/ }, {}]; }
			elsif ($d eq 'ifndef') { push @stack, [{}, { map { $_ => 1 } $e =~ /(\w+)/ }]; }
			elsif ($d eq 'if') { push @stack, [parse_cond($e)]; }
			elsif ($d eq 'elif' && @stack) {
				my ($p, $n) = parse_cond($e);
				$stack[-1] = [$p, { %$n, %{$stack[-1][0]} }];
			}
			elsif ($d eq 'else' && @stack) { $stack[-1] = [$stack[-1][1], $stack[-1][0]]; }
			elsif ($d eq 'endif') { pop @stack; }
			next;
		}
		next if $t =~ /^\s*#\s*(undef|error|warning|pragma|line)\b/;
		my (%pos, %neg);
		for my $s (@stack) { %pos = (%pos, %{$s->[0]}); %neg = (%neg, %{$s->[1]}); }
		$cb->($ln, $t, \%pos, \%neg);
	}
}

sub names_in {	# text -> list of listed names used in it (headers too)
	my ($t) = @_;
	my @r;
	if ($t =~ /^\s*#\s*include\s*<([^>]+)>/) {
		push @r, "<$1>" if $since{"<$1>"};
		return @r;
	}
	my %seen;
	while ($t =~ /(?<![\w.>])(\w+)\b/g) {
		push @r, $1 if $since{$1} && !$seen{$1}++;
	}
	# designated initializers and member names: .sdev_init = ...
	while ($t =~ /(?:\.|->)(\w+)\b/g) {
		push @r, $1 if $since{$1} && !$seen{$1}++;
	}
	return @r;
}

sub hit { my ($g, $set) = @_; return grep { $set->{$_} } @$g; }

# Pass 1: fallbacks (a #define of a listed name in a compat header, in a
# block where one of its guards is false).
my %fallback;
for my $f (@compat) {
	walk($f, sub {
		my ($ln, $t, $pos, $neg) = @_;
		return unless $t =~ /^\s*#\s*define\s+(\w+)/;
		my $n = $1;
		return unless $since{$n} && hit($guard{$n}, $neg);
		$fallback{$n} //= "$f:$ln";
	});
}

# Pass 2: every use.
my (@bad, %req, %used);
for my $f (@files) {
	walk($f, sub {
		my ($ln, $t, $pos, $neg) = @_;
		my $defd = $t =~ /^\s*#\s*define\s+(\w+)/ ? $1 : '';
		my $in_fallback = $is_compat{$f} && grep { /^HAVE_/ } keys %$neg;
		for my $n (names_in($t)) {
			my $g = $guard{$n};
			my $what = "$n (since v$since{$n})";
			$used{$n}++;
			next if hit($g, $pos);
			next if $is_compat{$f} && $defd eq $n && hit($g, $neg);
			if ($in_fallback) {
				next if $fallback{$n} && hit($g, $neg);
				next if $g->[0] eq 'req' && ($req{$n} //= "$f:$ln");
				push @bad, "$f:$ln: fallback uses $what; write it from what v3.10 has";
				next;
			}
			if ($g->[0] =~ /^HAVE_/) {
				next if $fallback{$n};
				push @bad, "$f:$ln: $what: no compat fallback under !$g->[0]; use it only inside #ifdef $g->[0]";
			} elsif ($g->[0] eq 'compat-header') {
				(my $p = $n) =~ s/[<>]//g;
				next if -f "src/compat/$p";
				push @bad, "$f:$ln: $what: src/compat/$p missing";
			} elsif ($g->[0] eq 'req') {
				$req{$n} //= "$f:$ln";
			} elsif ($g->[0] eq '-') {
				push @bad, "$f:$ln: $what: no probe; add src/compat/probes/<name>.c and a fallback (see src/compat/README)";
			} else {
				push @bad, "$f:$ln: $what: use it only inside #ifdef $g->[0]";
			}
		}
	});
}
# Every HAVE_ guard must name an existing probe.
for my $n (sort keys %guard) {
	for my $g (@{$guard{$n}}) {
		next unless $g =~ /^HAVE_(\w+)$/;
		my $p = "src/compat/probes/" . lc($1) . ".c";
		push @bad, "symbols-since.txt: $n: guard $g but no $p" unless -f $p;
	}
}
print "$_\n" for @bad;
printf "required (kernels without them are not served): %s\n",
	join(', ', map { "$_ ($req{$_})" } sort keys %req) if %req;
printf "checked %d files, %d listed names in use, %d fallbacks, %d required\n",
	scalar @files, scalar keys %used, scalar keys %fallback, scalar keys %req;
exit(@bad ? 1 : 0);
