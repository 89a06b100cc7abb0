#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-repo.sh <package dir> <output dir>   (make repo PKGS=... REPO=...)
#
# Turns a directory of prebuilt packages into repositories a fleet installs
# from without a compiler:
#   <output>/apt/  every *.deb (scripts/build-kmod-deb.sh: hyperv-lis-common
#                  and one hyperv-lis-modules-<kernel> per kernel) with
#                  Packages, Packages.gz and Release (apt-ftparchive, from
#                  apt-utils): a flat repository,
#                    deb [trusted=yes] file:<output>/apt ./
#                  (or the same directory served over http; sign Release
#                  with your key for anything but a test);
#   <output>/yum/  every *.rpm (scripts/build-rpm.sh --kmod: one
#                  kmod-hyperv-lis per kernel) with repodata/ (createrepo_c)
#                  and hyperv-lis.repo, a yum/dnf .repo file for it.
# A kind of package absent from <package dir> is skipped; a tool missing
# for one that is present is an error.
set -euo pipefail
export LC_ALL=C

[ $# -eq 2 ] || { echo "usage: $0 <package dir> <output dir>" >&2; exit 2; }
src=$(cd "$1" && pwd)
mkdir -p "$2"
dst=$(cd "$2" && pwd)
shopt -s nullglob
debs=("$src"/*.deb)
rpms=("$src"/*.rpm)
[ ${#debs[@]} -gt 0 ] || [ ${#rpms[@]} -gt 0 ] ||
	{ echo "build-repo: no .deb or .rpm in $src" >&2; exit 1; }

if [ ${#debs[@]} -gt 0 ]; then
	command -v apt-ftparchive >/dev/null ||
		{ echo "build-repo: apt-ftparchive missing: apt-get install apt-utils" >&2; exit 1; }
	rm -rf "$dst/apt"
	mkdir -p "$dst/apt"
	cp "${debs[@]}" "$dst/apt/"
	(
		cd "$dst/apt"
		apt-ftparchive packages . > Packages
		gzip -9nk Packages
		apt-ftparchive -o APT::FTPArchive::Release::Origin=hyperv-lis \
			-o APT::FTPArchive::Release::Label=hyperv-lis \
			-o APT::FTPArchive::Release::Suite=stable release . > Release
	)
	echo "build-repo: apt repository $dst/apt ($(grep -c '^Package:' "$dst/apt/Packages") packages):"
	echo "    deb [trusted=yes] file:$dst/apt ./"
fi

if [ ${#rpms[@]} -gt 0 ]; then
	command -v createrepo_c >/dev/null ||
		{ echo "build-repo: createrepo_c missing: apt-get install createrepo-c (dnf install createrepo_c)" >&2; exit 1; }
	rm -rf "$dst/yum"
	mkdir -p "$dst/yum"
	cp "${rpms[@]}" "$dst/yum/"
	createrepo_c --quiet "$dst/yum"
	cat > "$dst/yum/hyperv-lis.repo" <<REPO
[hyperv-lis]
name=hyperv-lis prebuilt Hyper-V guest drivers
baseurl=file://$dst/yum
enabled=1
gpgcheck=0
REPO
	echo "build-repo: yum repository $dst/yum (${#rpms[@]} packages): $dst/yum/hyperv-lis.repo"
fi
