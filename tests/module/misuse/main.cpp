// SPDX-License-Identifier: BSD-3-Clause
// Never built: the misuse cases only configure.
int main()
{
    return 0;
}
