// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title ToyBank — an ether bank used only to demonstrate the forge toolchain (not a product contract).
/// @notice Accounts deposit ether, move it between themselves and withdraw it. `totalDeposits` must always equal
///         both the sum of all balances and the ether the bank holds.
contract ToyBank {
    mapping(address account => uint256 balance) public balanceOf;
    uint256 public totalDeposits;

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event Transferred(address indexed from, address indexed to, uint256 amount);

    error ZeroAmount();
    error InsufficientBalance(uint256 available, uint256 requested);
    error EtherTransferFailed();

    function deposit() external payable {
        if (msg.value == 0) revert ZeroAmount();
        balanceOf[msg.sender] += msg.value;
        totalDeposits += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    function withdraw(uint256 amount) external {
        uint256 available = balanceOf[msg.sender];
        if (amount > available) revert InsufficientBalance(available, amount);
        balanceOf[msg.sender] = available - amount;
        totalDeposits -= amount;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert EtherTransferFailed();
    }

    function transfer(address to, uint256 amount) external {
        uint256 available = balanceOf[msg.sender];
        if (amount > available) revert InsufficientBalance(available, amount);
        balanceOf[msg.sender] = available - amount;
        balanceOf[to] += amount;
        emit Transferred(msg.sender, to, amount);
    }
}
