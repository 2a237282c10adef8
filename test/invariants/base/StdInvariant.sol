// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title StdInvariant — what forge reads from an invariant test contract to pick its fuzz targets.
/// @notice forge calls the public getters below (same names and ABI as forge-std's StdInvariant) on the test
///         contract after `setUp()`; tests fill them with the internal `target*` / `exclude*` functions.
///         With no `targetContract`, forge fuzzes every contract deployed in `setUp()` except the test itself.
abstract contract StdInvariant {
    /// A contract and the functions of it forge may call (`targetSelector`) or must not call (`excludeSelector`).
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    /// An artifact ("path/File.sol:Name" or "Name") and the functions of it forge may call.
    struct FuzzArtifactSelector {
        string artifact;
        bytes4[] selectors;
    }

    /// An address to fuzz through the ABI of the given artifacts (e.g. a proxy).
    struct FuzzInterface {
        address addr;
        string[] artifacts;
    }

    address[] private _targetedContracts;
    address[] private _excludedContracts;
    address[] private _targetedSenders;
    address[] private _excludedSenders;
    FuzzSelector[] private _targetedSelectors;
    FuzzSelector[] private _excludedSelectors;
    string[] private _targetedArtifacts;
    string[] private _excludedArtifacts;
    FuzzArtifactSelector[] private _targetedArtifactSelectors;
    FuzzInterface[] private _targetedInterfaces;

    // ---- read by forge ------------------------------------------------------------------------------------

    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    function excludeContracts() public view returns (address[] memory) {
        return _excludedContracts;
    }

    function targetSenders() public view returns (address[] memory) {
        return _targetedSenders;
    }

    function excludeSenders() public view returns (address[] memory) {
        return _excludedSenders;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }

    function excludeSelectors() public view returns (FuzzSelector[] memory) {
        return _excludedSelectors;
    }

    function targetArtifacts() public view returns (string[] memory) {
        return _targetedArtifacts;
    }

    function excludeArtifacts() public view returns (string[] memory) {
        return _excludedArtifacts;
    }

    function targetArtifactSelectors() public view returns (FuzzArtifactSelector[] memory) {
        return _targetedArtifactSelectors;
    }

    function targetInterfaces() public view returns (FuzzInterface[] memory) {
        return _targetedInterfaces;
    }

    // ---- called by tests (in setUp) ----------------------------------------------------------------------

    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    function excludeContract(address target) internal {
        _excludedContracts.push(target);
    }

    function targetSender(address sender) internal {
        _targetedSenders.push(sender);
    }

    function excludeSender(address sender) internal {
        _excludedSenders.push(sender);
    }

    function targetSelector(FuzzSelector memory selector) internal {
        _targetedSelectors.push(selector);
    }

    function excludeSelector(FuzzSelector memory selector) internal {
        _excludedSelectors.push(selector);
    }

    function targetArtifact(string memory artifact) internal {
        _targetedArtifacts.push(artifact);
    }

    function excludeArtifact(string memory artifact) internal {
        _excludedArtifacts.push(artifact);
    }

    function targetArtifactSelector(FuzzArtifactSelector memory selector) internal {
        _targetedArtifactSelectors.push(selector);
    }

    function targetInterface(FuzzInterface memory target) internal {
        _targetedInterfaces.push(target);
    }
}
