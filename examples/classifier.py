"""A classifier trained with a comfortable batch: NormLens lists its layers and finds nothing risky."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

features = nn.Sequential(
    nn.Linear(128, 256, bias=False),
    nn.BatchNorm1d(256),
    nn.ReLU(),
    nn.Linear(256, 10),
)

data = TensorDataset(torch.randn(1024, 128), torch.randint(0, 10, (1024,)))
loader = DataLoader(data, batch_size=64, shuffle=True, drop_last=True)
