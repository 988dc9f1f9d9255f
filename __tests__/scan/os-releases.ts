/**
 * Release files as the distributions ship them in their container images (`/etc/os-release`, and where the
 * distribution has them `/etc/system-release-cpe` and Red Hat's content manifest). These are written here from
 * knowledge of the real files (the images cannot be pulled on this machine): field for field as the images carry
 * them, with the point release of one recent image of each.
 */

export interface Release {
  files: Record<string, string>
  /** The OSV ecosystem its packages are named under. */
  ecosystem: string
  /** Every ecosystem looked up, when more than one. */
  ecosystems?: string[]
}

const lines = (...l: string[]): string => l.join('\n') + '\n'

export const RELEASES: Record<string, Release> = {
  'debian:12': {
    files: {
      'etc/os-release': lines(
        'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
        'NAME="Debian GNU/Linux"',
        'VERSION_ID="12"',
        'VERSION="12 (bookworm)"',
        'VERSION_CODENAME=bookworm',
        'ID=debian',
        'HOME_URL="https://www.debian.org/"',
        'SUPPORT_URL="https://www.debian.org/support"',
        'BUG_REPORT_URL="https://bugs.debian.org/"'
      ),
      'etc/debian_version': '12.5\n'
    },
    ecosystem: 'Debian:12'
  },
  'distroless/base-debian11': {
    // gcr.io/distroless/base-debian11: its own PRETTY_NAME, the Debian release in VERSION_ID.
    files: {
      'usr/lib/os-release': lines(
        'PRETTY_NAME="Distroless"',
        'NAME="Debian GNU/Linux"',
        'ID="debian"',
        'VERSION_ID="11"',
        'VERSION="Debian GNU/Linux 11 (bullseye)"',
        'HOME_URL="https://github.com/GoogleContainerTools/distroless"',
        'SUPPORT_URL="https://github.com/GoogleContainerTools/distroless/blob/master/README.md"',
        'BUG_REPORT_URL="https://github.com/GoogleContainerTools/distroless/issues/new"'
      )
    },
    ecosystem: 'Debian:11'
  },
  'ubuntu:22.04': {
    files: {
      'etc/os-release': lines(
        'PRETTY_NAME="Ubuntu 22.04.4 LTS"',
        'NAME="Ubuntu"',
        'VERSION_ID="22.04"',
        'VERSION="22.04.4 LTS (Jammy Jellyfish)"',
        'VERSION_CODENAME=jammy',
        'ID=ubuntu',
        'ID_LIKE=debian',
        'HOME_URL="https://www.ubuntu.com/"',
        'SUPPORT_URL="https://help.ubuntu.com/"',
        'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"',
        'PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"',
        'UBUNTU_CODENAME=jammy'
      )
    },
    ecosystem: 'Ubuntu:22.04:LTS',
    ecosystems: ['Ubuntu:22.04:LTS', 'Ubuntu:Pro:22.04:LTS']
  },
  'ubuntu:18.04': {
    files: {
      'etc/os-release': lines(
        'NAME="Ubuntu"',
        'VERSION="18.04.6 LTS (Bionic Beaver)"',
        'ID=ubuntu',
        'ID_LIKE=debian',
        'PRETTY_NAME="Ubuntu 18.04.6 LTS"',
        'VERSION_ID="18.04"',
        'HOME_URL="https://www.ubuntu.com/"',
        'SUPPORT_URL="https://help.ubuntu.com/"',
        'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"',
        'PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"',
        'VERSION_CODENAME=bionic',
        'UBUNTU_CODENAME=bionic'
      )
    },
    ecosystem: 'Ubuntu:18.04:LTS',
    ecosystems: ['Ubuntu:18.04:LTS', 'Ubuntu:Pro:18.04:LTS']
  },
  'ubuntu:23.10': {
    files: {
      'etc/os-release': lines(
        'PRETTY_NAME="Ubuntu 23.10"',
        'NAME="Ubuntu"',
        'VERSION_ID="23.10"',
        'VERSION="23.10 (Mantic Minotaur)"',
        'VERSION_CODENAME=mantic',
        'ID=ubuntu',
        'ID_LIKE=debian',
        'UBUNTU_CODENAME=mantic',
        'LOGO=ubuntu-logo'
      )
    },
    ecosystem: 'Ubuntu:23.10'
  },
  'alpine:3.18': {
    files: {
      'etc/os-release': lines(
        'NAME="Alpine Linux"',
        'ID=alpine',
        'VERSION_ID=3.18.4',
        'PRETTY_NAME="Alpine Linux v3.18"',
        'HOME_URL="https://alpinelinux.org/"',
        'BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"'
      ),
      'etc/alpine-release': '3.18.4\n'
    },
    ecosystem: 'Alpine:v3.18'
  },
  ubi9: {
    files: {
      'etc/os-release': lines(
        'NAME="Red Hat Enterprise Linux"',
        'VERSION="9.3 (Plow)"',
        'ID="rhel"',
        'ID_LIKE="fedora"',
        'VERSION_ID="9.3"',
        'PLATFORM_ID="platform:el9"',
        'PRETTY_NAME="Red Hat Enterprise Linux 9.3 (Plow)"',
        'ANSI_COLOR="0;31"',
        'LOGO="fedora-logo-icon"',
        'CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"',
        'HOME_URL="https://www.redhat.com/"',
        'DOCUMENTATION_URL="https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/9"',
        'BUG_REPORT_URL="https://bugzilla.redhat.com/"',
        'REDHAT_BUGZILLA_PRODUCT="Red Hat Enterprise Linux 9"',
        'REDHAT_BUGZILLA_PRODUCT_VERSION=9.3',
        'REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux"',
        'REDHAT_SUPPORT_PRODUCT_VERSION="9.3"'
      ),
      'etc/system-release-cpe': 'cpe:/o:redhat:enterprise_linux:9::baseos\n',
      'etc/redhat-release': 'Red Hat Enterprise Linux release 9.3 (Plow)\n',
      'root/buildinfo/content_manifests/ubi9-container-9.3-1552.json': JSON.stringify({
        metadata: {
          icm_version: 1,
          icm_spec:
            'https://raw.githubusercontent.com/containerbuildsystem/atomic-reactor/master/atomic_reactor/schemas/content_manifest.json',
          image_layer_index: 0
        },
        content_sets: ['rhel-9-for-x86_64-appstream-rpms', 'rhel-9-for-x86_64-baseos-rpms'],
        image_contents: []
      })
    },
    ecosystem: 'Red Hat:enterprise_linux:9::baseos',
    ecosystems: ['Red Hat:enterprise_linux:9::baseos', 'Red Hat:enterprise_linux:9::appstream']
  },
  'rockylinux:8': {
    files: {
      'etc/os-release': lines(
        'NAME="Rocky Linux"',
        'VERSION="8.9 (Green Obsidian)"',
        'ID="rocky"',
        'ID_LIKE="rhel centos fedora"',
        'VERSION_ID="8.9"',
        'PLATFORM_ID="platform:el8"',
        'PRETTY_NAME="Rocky Linux 8.9 (Green Obsidian)"',
        'ANSI_COLOR="0;32"',
        'LOGO="fedora-logo-icon"',
        'CPE_NAME="cpe:/o:rocky:rocky:8:GA"',
        'HOME_URL="https://rockylinux.org/"',
        'BUG_REPORT_URL="https://bugs.rockylinux.org/"',
        'SUPPORT_END="2029-05-31"',
        'ROCKY_SUPPORT_PRODUCT="Rocky-Linux-8"',
        'ROCKY_SUPPORT_PRODUCT_VERSION="8.9"',
        'REDHAT_SUPPORT_PRODUCT="Rocky Linux"',
        'REDHAT_SUPPORT_PRODUCT_VERSION="8.9"'
      ),
      'etc/system-release-cpe': 'cpe:/o:rocky:rocky:8:GA\n'
    },
    ecosystem: 'Rocky Linux:8'
  },
  'rockylinux:9': {
    files: {
      'etc/os-release': lines(
        'NAME="Rocky Linux"',
        'VERSION="9.3 (Blue Onyx)"',
        'ID="rocky"',
        'ID_LIKE="rhel centos fedora"',
        'VERSION_ID="9.3"',
        'PLATFORM_ID="platform:el9"',
        'PRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"',
        'ANSI_COLOR="0;32"',
        'LOGO="fedora-logo-icon"',
        'CPE_NAME="cpe:/o:rocky:rocky:9::baseos"',
        'HOME_URL="https://rockylinux.org/"',
        'BUG_REPORT_URL="https://bugs.rockylinux.org/"',
        'SUPPORT_END="2032-05-31"',
        'ROCKY_SUPPORT_PRODUCT="Rocky-Linux-9"',
        'ROCKY_SUPPORT_PRODUCT_VERSION="9.3"',
        'REDHAT_SUPPORT_PRODUCT="Rocky Linux"',
        'REDHAT_SUPPORT_PRODUCT_VERSION="9.3"'
      ),
      'etc/system-release-cpe': 'cpe:/o:rocky:rocky:9::baseos\n'
    },
    ecosystem: 'Rocky Linux:9'
  },
  'almalinux:9': {
    files: {
      'etc/os-release': lines(
        'NAME="AlmaLinux"',
        'VERSION="9.3 (Shamrock Pampas Cat)"',
        'ID="almalinux"',
        'ID_LIKE="rhel centos fedora"',
        'VERSION_ID="9.3"',
        'PLATFORM_ID="platform:el9"',
        'PRETTY_NAME="AlmaLinux 9.3 (Shamrock Pampas Cat)"',
        'ANSI_COLOR="0;34"',
        'LOGO="fedora-logo-icon"',
        'CPE_NAME="cpe:/o:almalinux:almalinux:9::baseos"',
        'HOME_URL="https://almalinux.org/"',
        'DOCUMENTATION_URL="https://wiki.almalinux.org/"',
        'BUG_REPORT_URL="https://bugs.almalinux.org/"',
        'ALMALINUX_MANTISBT_PROJECT="AlmaLinux-9"',
        'ALMALINUX_MANTISBT_PROJECT_VERSION="9.3"',
        'REDHAT_SUPPORT_PRODUCT="AlmaLinux"',
        'REDHAT_SUPPORT_PRODUCT_VERSION="9.3"'
      ),
      'etc/system-release-cpe': 'cpe:/o:almalinux:almalinux:9::baseos\n'
    },
    ecosystem: 'AlmaLinux:9'
  },
  'cbl-mariner/base/core:2.0': {
    files: {
      'etc/os-release': lines(
        'NAME="Common Base Linux Mariner"',
        'VERSION="2.0.20240123"',
        'ID=mariner',
        'VERSION_ID="2.0"',
        'PRETTY_NAME="CBL-Mariner/Linux"',
        'ANSI_COLOR="1;34"',
        'HOME_URL="https://aka.ms/cbl-mariner"',
        'BUG_REPORT_URL="https://aka.ms/cbl-mariner"',
        'SUPPORT_URL="https://aka.ms/cbl-mariner"'
      )
    },
    ecosystem: 'Azure Linux:2'
  },
  'azurelinux/base/core:3.0': {
    files: {
      'etc/os-release': lines(
        'NAME="Microsoft Azure Linux"',
        'VERSION="3.0.20240727"',
        'ID=azurelinux',
        'VERSION_ID="3.0"',
        'PRETTY_NAME="Microsoft Azure Linux 3.0"',
        'ANSI_COLOR="1;34"',
        'HOME_URL="https://aka.ms/azurelinux"',
        'BUG_REPORT_URL="https://aka.ms/azurelinux"',
        'SUPPORT_URL="https://aka.ms/azurelinux"'
      )
    },
    ecosystem: 'Azure Linux:3'
  },
  'bci/bci-base:15.5 (SLES)': {
    files: {
      'usr/lib/os-release': lines(
        'NAME="SLES"',
        'VERSION="15-SP5"',
        'VERSION_ID="15.5"',
        'PRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"',
        'ID="sles"',
        'ID_LIKE="suse"',
        'ANSI_COLOR="0;32"',
        'CPE_NAME="cpe:/o:suse:sles:15:sp5"',
        'DOCUMENTATION_URL="https://documentation.suse.com/"'
      )
    },
    ecosystem: 'SUSE:Linux Enterprise Server 15 SP5',
    ecosystems: [
      'SUSE:Linux Enterprise Server 15 SP5',
      'SUSE:Linux Enterprise Server 15 SP5-LTSS',
      'SUSE:Linux Enterprise Module for Basesystem 15 SP5',
      'SUSE:Linux Enterprise Module for Server Applications 15 SP5'
    ]
  },
  'opensuse/leap:15.5': {
    files: {
      'usr/lib/os-release': lines(
        'NAME="openSUSE Leap"',
        'VERSION="15.5"',
        'ID="opensuse-leap"',
        'ID_LIKE="suse opensuse"',
        'VERSION_ID="15.5"',
        'PRETTY_NAME="openSUSE Leap 15.5"',
        'ANSI_COLOR="0;32"',
        'CPE_NAME="cpe:/o:opensuse:leap:15.5"',
        'BUG_REPORT_URL="https://bugs.opensuse.org"',
        'HOME_URL="https://www.opensuse.org/"',
        'DOCUMENTATION_URL="https://en.opensuse.org/Portal:Leap"',
        'LOGO="distributor-logo-Leap"'
      )
    },
    ecosystem: 'openSUSE:Leap 15.5'
  },
  'opensuse/tumbleweed': {
    files: {
      'usr/lib/os-release': lines(
        'NAME="openSUSE Tumbleweed"',
        '# VERSION="20240301"',
        'ID="opensuse-tumbleweed"',
        'ID_LIKE="opensuse suse"',
        'VERSION_ID="20240301"',
        'PRETTY_NAME="openSUSE Tumbleweed"',
        'ANSI_COLOR="0;32"',
        'CPE_NAME="cpe:/o:opensuse:tumbleweed:20240301"',
        'BUG_REPORT_URL="https://bugzilla.opensuse.org"',
        'SUPPORT_URL="https://bugs.opensuse.org"',
        'HOME_URL="https://www.opensuse.org"',
        'DOCUMENTATION_URL="https://en.opensuse.org/Portal:Tumbleweed"',
        'LOGO="distributor-logo-Tumbleweed"'
      )
    },
    ecosystem: 'openSUSE:Tumbleweed'
  },
  wolfi: {
    files: {
      'etc/os-release': lines(
        'ID=wolfi',
        'NAME="Wolfi"',
        'PRETTY_NAME="Wolfi"',
        'VERSION_ID="20230201"',
        'HOME_URL="https://wolfi.dev"'
      )
    },
    ecosystem: 'Wolfi'
  },
  chainguard: {
    files: {
      'etc/os-release': lines(
        'ID=chainguard',
        'NAME="Chainguard"',
        'PRETTY_NAME="Chainguard"',
        'VERSION_ID="20230214"',
        'HOME_URL="https://chainguard.dev/"'
      )
    },
    ecosystem: 'Chainguard'
  },
  minimos: {
    files: {
      'etc/os-release': lines(
        'ID=minimos',
        'NAME="MinimOS"',
        'PRETTY_NAME="MinimOS"',
        'VERSION_ID="20241031"',
        'HOME_URL="https://images.minimus.io"'
      )
    },
    ecosystem: 'MinimOS'
  },
  'photon:5.0': {
    files: {
      'etc/os-release': lines(
        'NAME="VMware Photon OS"',
        'VERSION="5.0"',
        'ID=photon',
        'VERSION_ID=5.0',
        'PRETTY_NAME="VMware Photon OS/Linux"',
        'ANSI_COLOR="1;34"',
        'HOME_URL="https://vmware.github.io/photon/"',
        'BUG_REPORT_URL="https://github.com/vmware/photon/issues"'
      )
    },
    ecosystem: 'Photon OS:5.0'
  },
  'mageia:9': {
    files: {
      'etc/os-release': lines(
        'NAME="Mageia"',
        'VERSION="9"',
        'ID=mageia',
        'VERSION_ID=9',
        'ID_LIKE="mandriva fedora"',
        'PRETTY_NAME="Mageia 9"',
        'ANSI_COLOR="1;36"',
        'HOME_URL="http://www.mageia.org/"',
        'SUPPORT_URL="http://www.mageia.org/support/"',
        'BUG_REPORT_URL="https://bugs.mageia.org/"',
        'PRIVACY_POLICY_URL="https://wiki.mageia.org/en/Privacy_policy"'
      )
    },
    ecosystem: 'Mageia:9'
  },
  'openeuler:22.03-lts-sp3': {
    files: {
      'etc/os-release': lines(
        'NAME="openEuler"',
        'VERSION="22.03 (LTS-SP3)"',
        'ID="openEuler"',
        'VERSION_ID="22.03"',
        'PRETTY_NAME="openEuler 22.03 (LTS-SP3)"',
        'ANSI_COLOR="0;31"'
      )
    },
    ecosystem: 'openEuler:22.03-LTS-SP3'
  }
}

/** Distributions no OSV source covers. */
export const UNCOVERED: Record<string, Record<string, string>> = {
  'centos:7': {
    'etc/os-release': lines(
      'NAME="CentOS Linux"',
      'VERSION="7 (Core)"',
      'ID="centos"',
      'ID_LIKE="rhel fedora"',
      'VERSION_ID="7"',
      'PRETTY_NAME="CentOS Linux 7 (Core)"',
      'ANSI_COLOR="0;31"',
      'CPE_NAME="cpe:/o:centos:centos:7"',
      'HOME_URL="https://www.centos.org/"',
      'BUG_REPORT_URL="https://bugs.centos.org/"',
      '',
      'CENTOS_MANTISBT_PROJECT="CentOS-7"',
      'CENTOS_MANTISBT_PROJECT_VERSION="7"',
      'REDHAT_SUPPORT_PRODUCT="centos"',
      'REDHAT_SUPPORT_PRODUCT_VERSION="7"'
    ),
    'etc/system-release-cpe': 'cpe:/o:centos:centos:7\n',
    'etc/redhat-release': 'CentOS Linux release 7.9.2009 (Core)\n'
  },
  'amazonlinux:2': {
    'etc/os-release': lines(
      'NAME="Amazon Linux"',
      'VERSION="2"',
      'ID="amzn"',
      'ID_LIKE="centos rhel fedora"',
      'VERSION_ID="2"',
      'PRETTY_NAME="Amazon Linux 2"',
      'ANSI_COLOR="0;33"',
      'CPE_NAME="cpe:2.3:o:amazon:amazon_linux:2"',
      'HOME_URL="https://amazonlinux.com/"',
      'SUPPORT_END="2025-06-30"'
    ),
    'etc/system-release-cpe': 'cpe:2.3:o:amazon:amazon_linux:2\n',
    'etc/system-release': 'Amazon Linux release 2 (Karoo)\n'
  }
}
