// SPDX-License-Identifier: BSD-3-Clause
// wordcount: prints the number of space-separated words in its argument.
// Without an argument it complains and exits 2.
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::cerr << "usage: wordcount TEXT\n";
        return 2;
    }
    std::istringstream words(argv[1]);
    std::string word;
    int count = 0;
    while (words >> word)
        ++count;
    std::cout << count << '\n';
    return 0;
}
